//! The `kura` binary's integration tests, in one test binary (one link step, one process to
//! run): each module drives the real binary against its own temporary folders.

mod accounts_tx;
mod books;
mod data_folder;
mod export;
mod household;
mod share;
mod support;
