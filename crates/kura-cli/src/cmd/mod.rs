//! One module per subcommand.

pub mod accounts;
pub mod export;
pub mod link;
pub mod links;
pub mod sandbox;
pub mod serve;
pub mod sync;
pub mod tx;
pub mod unlink;
