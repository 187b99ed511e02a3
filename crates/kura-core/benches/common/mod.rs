//! Shared by the benchmarks: the one linked account they fill.

use chrono::{DateTime, Utc};
use kura_core::model::AccountId;
use kura_core::store::Store;
use kura_core::testing;

/// Links union 2011 and adds one 普通 account to `store`; returns the account.
pub fn bench_account(store: &mut Store, now: DateTime<Utc>) -> AccountId {
    testing::link_with_account(store, "bench", now).1
}
