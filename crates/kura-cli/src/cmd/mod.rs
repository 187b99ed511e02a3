//! One module per subcommand.

pub mod accounts;
pub mod sandbox;
pub mod serve;
pub mod tx;
