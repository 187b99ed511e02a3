//! Read-only queries for the UI and the CLI, as methods on [`Store`](crate::store::Store). Every
//! result is a plain serialisable struct (camelCase), ready to send to the UI.

mod accounts;
mod books;
mod history;
mod runs;
mod transactions;

pub use accounts::{AT_RISK_AFTER_DAYS, AccountSummary, STALE_AFTER_HOURS, Staleness};
pub use history::{BalancePoint, MonthTotal};
pub use runs::SyncRunRow;
pub use transactions::{Cursor, Direction, TxFilter, TxPage, TxRow};
