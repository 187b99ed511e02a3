//! One module per subcommand.

pub mod accounts;
pub mod categories;
pub mod export;
pub mod household;
pub mod link;
pub mod links;
pub mod report;
pub mod rules;
pub mod sandbox;
pub mod serve;
pub mod share;
pub mod sync;
pub mod tx;
pub mod unlink;
