//! One module per subcommand.

pub mod sandbox;
pub mod serve;
