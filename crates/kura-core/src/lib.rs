//! Everything in Kura that is not a shell: domain types, the Open API client, the OAuth flow,
//! secrets, the SQLite store, the sync engine, queries and exports.

pub mod commands;
pub mod export;
pub mod institutions;
pub mod text;
