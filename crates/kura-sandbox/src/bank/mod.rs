//! The simulated unions' side: demo users, their accounts and deterministic ledgers.
//! (Skeleton: the sandbox-API work fills this in; the OAuth server relies only on the
//! functions below.)

use chrono::NaiveDate;

use crate::config::SandboxConfig;

/// One deposit account as the API describes it.
#[derive(Debug, Clone)]
pub struct Account {
    pub account_id: String,
    pub bank_code: String,
    pub bank_name: String,
    pub branch_code: String,
    pub branch_name: String,
    pub account_type_code: String,
    pub account_type_name: String,
    pub account_number: String,
    pub account_name_kana: String,
}

pub struct Bank {}

impl Bank {
    pub fn new(_config: &SandboxConfig, _today: NaiveDate) -> Self {
        Bank {}
    }

    /// Whether `username`/`password` is a demo user's login.
    pub fn check_login(&self, username: &str, password: &str) -> bool {
        username == "demo" && password == "demo"
    }

    /// The accounts `username` holds at union `bank_code`, in display order.
    pub fn accounts_of(&self, _username: &str, _bank_code: &str) -> Vec<Account> {
        Vec::new()
    }
}
