//! Shared by the benchmarks: the one linked account they fill.

use chrono::{DateTime, Utc};
use kura_core::model::{AccountId, NewLink, RemoteAccount};
use kura_core::store::Store;

/// Links union 2011 and adds one 普通 account to `store`; returns the account.
pub fn bench_account(store: &mut Store, now: DateTime<Utc>) -> AccountId {
    let link = store
        .upsert_link(
            &NewLink {
                bank_code: "2011".into(),
                profile: "bench".into(),
                scope: "transactions".into(),
                consent_expires_at: None,
            },
            now,
        )
        .unwrap();
    let account = RemoteAccount {
        account_id: "2011-001-1-1234567".into(),
        bank_code: "2011".into(),
        branch_code: "001".into(),
        branch_name: "本店営業部".into(),
        account_type_code: "01".into(),
        account_type_name: "普通".into(),
        account_number: "1234567".into(),
        account_name_kana: "ｸﾗ ﾀﾛｳ".into(),
        currency_code: "JPY".into(),
    };
    store.upsert_account(link, &account, now).unwrap()
}
