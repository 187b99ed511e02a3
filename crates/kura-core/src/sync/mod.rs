//! The sync engine (one link at a time: accounts, balances, history into the store) and the
//! scheduler that runs it for every link.

mod engine;
mod scheduler;

pub use engine::{AccountReport, LinkReport, SyncEngine, SyncError, SyncOptions, Warning};
pub use scheduler::{Clock, LinkConnector, Scheduler, SchedulerConfig, SchedulerHandle, TokioClock};
