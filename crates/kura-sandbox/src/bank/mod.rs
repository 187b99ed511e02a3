//! The simulated unions' side: demo users, their accounts and deterministic ledgers.
//!
//! `demo`/`demo` holds a 普通 account at every one of the 95 unions, and at the featured unions
//! (2011 北央, 2254 第一勧業, 2680 広島市) also a 定期, a 貯蓄 and a 当座 with an overdraft line.
//! `family`/`family` holds accounts at 2011 and 2680. In large-data mode `bench`/`bench` holds
//! one account at 2011 with the requested number of lines in the 90-day window. Union 2773 sends
//! no `itemKey`, as the contract allows, so clients must fingerprint its lines.

mod ledger;
pub mod unions;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{Duration, NaiveDate};
use kura_openapi::AccountIdentity;
use serde::Serialize;

pub use ledger::{Ledger, Tx};
use ledger::{Profile, hash_str, mix};

use crate::config::SandboxConfig;

/// One deposit account as the API describes it (the accounts listing adds its currency).
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Account {
    pub account_id: String,
    #[serde(flatten)]
    pub identity: AccountIdentity,
    pub bank_name: String,
}

/// Unions whose history is richest: every account type, a 当座 with overdraft.
pub const FEATURED_UNIONS: [&str; 3] = ["2011", "2254", "2680"];
/// The union that omits `itemKey` from its transaction lines.
pub const NO_ITEM_KEY_UNION: &str = "2773";

/// A demo login.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub username: &'static str,
    pub password: &'static str,
    pub name_kana: &'static str,
}

pub const DEMO: DemoUser = DemoUser { username: "demo", password: "demo", name_kana: "ｸﾗ ﾀﾛｳ" };
pub const FAMILY: DemoUser = DemoUser { username: "family", password: "family", name_kana: "ｸﾗ ﾊﾅｺ" };
pub const BENCH: DemoUser = DemoUser { username: "bench", password: "bench", name_kana: "ｸﾗ ｲﾁﾛｳ" };

const BRANCHES: [(&str, &str); 5] =
    [("001", "本店営業部"), ("002", "駅前支店"), ("003", "中央支店"), ("005", "北支店"), ("010", "南支店")];

#[derive(Clone, Copy)]
enum Kind {
    Ordinary,
    Current,
    Savings,
    Time,
}

impl Kind {
    fn code(self) -> &'static str {
        match self {
            Kind::Ordinary => "01",
            Kind::Current => "02",
            Kind::Savings => "04",
            Kind::Time => "11",
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Ordinary => "普通",
            Kind::Current => "当座",
            Kind::Savings => "貯蓄",
            Kind::Time => "定期",
        }
    }
}

struct Holding {
    account: Account,
    owner: &'static str,
    /// Generated lazily: extended to the clock's today on each use.
    ledger: Mutex<Ledger>,
}

pub struct Bank {
    users: Vec<DemoUser>,
    holdings: Vec<Holding>,
    by_id: HashMap<String, usize>,
}

impl Bank {
    pub fn new(config: &SandboxConfig, today: NaiveDate) -> Self {
        let mut builder = Builder { seed: config.seed, holdings: Vec::new(), numbers: HashSet::new() };
        for union in unions::all() {
            let code = union.bank_code.as_str();
            let h = mix(config.seed, hash_str(code));
            let profile = match code {
                "2011" => Profile::Salaried { employer: 0, salary: 312_000, cards: vec![0, 1], rent: 78_000 },
                "2254" => Profile::SelfEmployed,
                "2680" => Profile::Salaried { employer: 1, salary: 268_000, cards: vec![2], rent: 64_000 },
                _ => match h % 3 {
                    0 => Profile::Salaried {
                        employer: (h / 3 % ledger::EMPLOYERS.len() as u64) as usize,
                        salary: 180_000 + (h / 7 % 200) as i64 * 1_000,
                        cards: vec![(h / 11 % ledger::CARDS.len() as u64) as usize],
                        rent: 45_000 + (h / 13 % 40) as i64 * 1_000,
                    },
                    1 => Profile::Pensioner { pension: 240_000 + (h / 7 % 120) as i64 * 1_000 },
                    _ => Profile::SelfEmployed,
                },
            };
            builder.add(DEMO, code, Kind::Ordinary, profile, None);
            if FEATURED_UNIONS.contains(&code) {
                builder.add(DEMO, code, Kind::Savings, Profile::Savings, None);
                builder.add(DEMO, code, Kind::Time, Profile::Time { principal: 3_000_000 }, None);
                builder.add(DEMO, code, Kind::Current, Profile::Checking { overdraft_limit: 1_000_000 }, None);
            }
        }
        let family_salary = Profile::Salaried { employer: 3, salary: 236_000, cards: vec![2, 3], rent: 0 };
        builder.add(FAMILY, "2011", Kind::Ordinary, family_salary, None);
        builder.add(FAMILY, "2011", Kind::Savings, Profile::Savings, None);
        builder.add(FAMILY, "2680", Kind::Ordinary, Profile::Pensioner { pension: 310_000 }, None);
        let mut users = vec![DEMO, FAMILY];
        if let Some(total) = config.large_transactions {
            let start = today - Duration::days(89);
            builder.add(BENCH, "2011", Kind::Ordinary, Profile::Bench { start, total }, Some(start));
            users.push(BENCH);
        }
        let holdings = builder.holdings;
        let by_id = holdings.iter().enumerate().map(|(i, h)| (h.account.account_id.clone(), i)).collect();
        Bank { users, holdings, by_id }
    }

    /// The demo logins this sandbox accepts.
    pub fn users(&self) -> &[DemoUser] {
        &self.users
    }

    /// Whether `username`/`password` is a demo user's login.
    pub fn check_login(&self, username: &str, password: &str) -> bool {
        self.users.iter().any(|u| u.username == username && u.password == password)
    }

    /// The accounts `username` holds at union `bank_code`, in display order.
    pub fn accounts_of(&self, username: &str, bank_code: &str) -> Vec<Account> {
        self.holdings
            .iter()
            .filter(|h| h.owner == username && h.account.identity.bank_code == bank_code)
            .map(|h| h.account.clone())
            .collect()
    }

    /// Every account `username` holds, across unions.
    pub fn all_accounts_of<'a>(&'a self, username: &'a str) -> impl Iterator<Item = &'a Account> + 'a {
        self.holdings.iter().filter(move |h| h.owner == username).map(|h| &h.account)
    }

    pub fn account(&self, account_id: &str) -> Option<&Account> {
        self.by_id.get(account_id).map(|&i| &self.holdings[i].account)
    }

    /// The login that holds `account_id`.
    pub fn owner_of(&self, account_id: &str) -> Option<&'static str> {
        self.by_id.get(account_id).map(|&i| self.holdings[i].owner)
    }

    /// Whether union `bank_code` leaves `itemKey` out of its transaction lines.
    pub fn omits_item_key(&self, bank_code: &str) -> bool {
        bank_code == NO_ITEM_KEY_UNION
    }

    /// Runs `f` on the ledger of `account_id`, generated through `today`. Lines dated after
    /// `today` never exist, since the clock only moves forward.
    pub fn with_ledger<R>(&self, account_id: &str, today: NaiveDate, f: impl FnOnce(&Ledger) -> R) -> Option<R> {
        let holding = &self.holdings[*self.by_id.get(account_id)?];
        let mut ledger = holding.ledger.lock().expect("ledger lock");
        ledger.extend_to(today);
        Some(f(&ledger))
    }
}

struct Builder {
    seed: u64,
    holdings: Vec<Holding>,
    numbers: HashSet<(String, String)>,
}

impl Builder {
    fn add(&mut self, user: DemoUser, bank_code: &str, kind: Kind, profile: Profile, opened: Option<NaiveDate>) {
        let union = unions::find(bank_code).expect("demo accounts are at member unions");
        let h = mix(self.seed, hash_str(&format!("{}/{}/{}", user.username, bank_code, kind.code())));
        let (branch_code, branch_name) = if FEATURED_UNIONS.contains(&bank_code) {
            BRANCHES[0]
        } else {
            BRANCHES[(h % BRANCHES.len() as u64) as usize]
        };
        let mut number = 1_000_000 + h / 5 % 9_000_000;
        while !self.numbers.insert((bank_code.to_owned(), number.to_string())) {
            number = 1_000_000 + (number + 1) % 9_000_000;
        }
        let account_number = format!("{number:07}");
        let type_digits = kind.code().trim_start_matches('0');
        let account_id = format!("{bank_code}-{branch_code}-{type_digits}-{account_number}");
        // Accounts opened between April 2021 and March 2022: years of history before today.
        let opened = opened.unwrap_or_else(|| {
            NaiveDate::from_ymd_opt(2021, 4, 1).expect("valid date") + Duration::days((h / 7 % 365) as i64)
        });
        let name_kana = match kind {
            Kind::Current => format!("ｸﾗｼﾖｳﾃﾝ {}", user.name_kana),
            _ => user.name_kana.to_owned(),
        };
        let ledger = Ledger::new(mix(h, 0x4c45_4447), profile, opened);
        self.holdings.push(Holding {
            account: Account {
                account_id,
                identity: AccountIdentity {
                    bank_code: bank_code.to_owned(),
                    branch_code: branch_code.to_owned(),
                    branch_name: branch_name.to_owned(),
                    account_type_code: kind.code().to_owned(),
                    account_type_name: kind.name().to_owned(),
                    account_number,
                    account_name_kana: name_kana,
                },
                bank_name: union.name.clone(),
            },
            owner: user.username,
            ledger: Mutex::new(ledger),
        });
    }
}
