//! The simulated unions' side: demo users, their accounts and deterministic ledgers.
//!
//! `demo`/`demo` holds a 普通 account at every one of the 95 unions, and at the featured unions
//! (2011 北央, 2254 第一勧業, 2680 広島市) also a 定期, a 貯蓄 and a 当座 with an overdraft line.
//! `family`/`family` holds accounts at 2011 and 2680. In large-data mode `bench`/`bench` holds
//! one account at 2011 with the requested number of lines in the 90-day window. Union 2773 sends
//! no `itemKey`, as the contract allows, so clients must fingerprint its lines.
//!
//! Every union prints remarks in its own dialect (see `remarks`). Own transfers connect a
//! user's accounts so a transfer detector has real pairs to find: each 普通 at a featured union
//! (and `family`'s at 2011) moves part of every payday to the 貯蓄 there, which sends some back
//! once a year, and `demo`'s 2011 普通 sends money to their 2680 普通 every payday.

mod ledger;
mod remarks;
pub mod unions;

use std::collections::{HashMap, HashSet};
use std::sync::Mutex;

use chrono::{Duration, NaiveDate};
use kura_openapi::AccountIdentity;
use serde::Serialize;

use ledger::{Counterpart, Leg, OwnTransfer, Profile, hash_str, mix};
pub use ledger::{Ledger, Tx};
use remarks::{Dialect, Party};

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

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
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
        let mut builder =
            Builder { seed: config.seed, holdings: Vec::new(), numbers: HashSet::new(), legs: HashMap::new() };
        let family_salary = Profile::Salaried { employer: 3, salary: 236_000, cards: vec![2, 3], rent: 0 };
        // Own transfers first: each ledger is made with its sides of them.
        for code in FEATURED_UNIONS {
            builder.savings_plan(DEMO, code, &demo_profile(config.seed, code));
        }
        builder.savings_plan(FAMILY, "2011", &family_salary);
        // Named KuraTaro, DEMO's own name, at both unions.
        builder.remittance(DEMO, Party::KuraTaro, &demo_profile(config.seed, "2011"), "2011", "2680");
        for union in unions::all() {
            let code = union.bank_code.as_str();
            builder.add(DEMO, code, Kind::Ordinary, demo_profile(config.seed, code), None);
            if FEATURED_UNIONS.contains(&code) {
                builder.add(DEMO, code, Kind::Savings, Profile::Savings, None);
                builder.add(DEMO, code, Kind::Time, Profile::Time { principal: 3_000_000 }, None);
                builder.add(DEMO, code, Kind::Current, Profile::Checking { overdraft_limit: 1_000_000 }, None);
            }
        }
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

/// How `demo` uses their 普通 at union `code`: fixed at the featured unions, drawn from the seed
/// elsewhere.
fn demo_profile(seed: u64, code: &str) -> Profile {
    let h = mix(seed, hash_str(code));
    match code {
        "2011" => Profile::Salaried { employer: 0, salary: 312_000, cards: vec![0, 1], rent: 78_000 },
        "2254" => Profile::SelfEmployed,
        "2680" => Profile::Salaried { employer: 1, salary: 268_000, cards: vec![2], rent: 64_000 },
        _ => match h % 3 {
            0 => Profile::Salaried {
                employer: (h / 3 % remarks::EMPLOYERS.len() as u64) as usize,
                salary: 180_000 + (h / 7 % 200) as i64 * 1_000,
                cards: vec![(h / 11 % remarks::ISSUERS.len() as u64) as usize],
                rent: 45_000 + (h / 13 % 40) as i64 * 1_000,
            },
            1 => Profile::Pensioner { pension: 240_000 + (h / 7 % 120) as i64 * 1_000 },
            _ => Profile::SelfEmployed,
        },
    }
}

struct Builder {
    seed: u64,
    holdings: Vec<Holding>,
    numbers: HashSet<(String, String)>,
    /// Sides of own transfers waiting for their account, by (user, union, account type).
    legs: HashMap<(&'static str, String, Kind), Vec<Leg>>,
}

impl Builder {
    fn key(&self, user: DemoUser, bank_code: &str, kind: Kind) -> u64 {
        mix(self.seed, hash_str(&format!("{}/{}/{}", user.username, bank_code, kind.code())))
    }

    /// Accounts open between April 2021 and March 2022: years of history before today.
    fn opened(&self, user: DemoUser, bank_code: &str, kind: Kind) -> NaiveDate {
        let h = self.key(user, bank_code, kind);
        NaiveDate::from_ymd_opt(2021, 4, 1).expect("valid date") + Duration::days((h / 7 % 365) as i64)
    }

    /// The key of transfers from one of `user`'s accounts to another, so the same amounts and
    /// dates follow from (seed, user, accounts, month) wherever they are computed, and the first
    /// day both accounts exist.
    fn pair(&self, user: DemoUser, from: (&str, Kind), to: (&str, Kind)) -> (u64, NaiveDate) {
        let pair = format!("{}/{}/{}>{}/{}", user.username, from.0, from.1.code(), to.0, to.1.code());
        (mix(self.seed, hash_str(&pair)), self.opened(user, from.0, from.1).max(self.opened(user, to.0, to.1)))
    }

    /// Gives each account its side of `transfer`, as each sees the other.
    fn link(
        &mut self,
        user: DemoUser,
        transfer: OwnTransfer,
        sender: (&str, Kind, Counterpart),
        receiver: (&str, Kind, Counterpart),
    ) {
        for ((code, kind, counterpart), credit) in [(sender, false), (receiver, true)] {
            let leg = Leg { transfer, credit, counterpart };
            self.legs.entry((user.username, code.to_owned(), kind)).or_default().push(leg);
        }
    }

    /// The 普通 at `bank_code` (used as `profile`) moves part of every payday to the 貯蓄 there;
    /// from the second year on, the 貯蓄 sends a larger sum back once a year, when it surely
    /// holds that much.
    fn savings_plan(&mut self, user: DemoUser, bank_code: &str, profile: &Profile) {
        let payday = profile.payday().expect("a 普通 with a 貯蓄 beside it has an income");
        let (ordinary, savings) = ((bank_code, Kind::Ordinary), (bank_code, Kind::Savings));
        let (key, from) = self.pair(user, ordinary, savings);
        let monthly = OwnTransfer { key, day: payday, max_lag: 0, from, units: (3, 5), yearly: false };
        let sides =
            ((bank_code, Kind::Ordinary, Counterpart::Savings), (bank_code, Kind::Savings, Counterpart::Ordinary));
        self.link(user, monthly, sides.0, sides.1);
        let (key, from) = self.pair(user, savings, ordinary);
        let from = from + Duration::days(365);
        let yearly = OwnTransfer { key, day: 5, max_lag: 0, from, units: (10, 30), yearly: true };
        self.link(user, yearly, sides.1, sides.0);
    }

    /// The 普通 at `from` (used as `profile`) sends money to the owner's 普通 at union `to` every
    /// payday; it arrives that day or the next business day. Both print the owner's name.
    fn remittance(&mut self, user: DemoUser, owner: Party, profile: &Profile, from: &str, to: &str) {
        let payday = profile.payday().expect("a 普通 that sends money has an income");
        let (key, first) = self.pair(user, (from, Kind::Ordinary), (to, Kind::Ordinary));
        let transfer = OwnTransfer { key, day: payday, max_lag: 1, from: first, units: (2, 5), yearly: false };
        let counterpart = Counterpart::OtherUnion(owner);
        self.link(user, transfer, (from, Kind::Ordinary, counterpart), (to, Kind::Ordinary, counterpart));
    }

    fn add(&mut self, user: DemoUser, bank_code: &str, kind: Kind, profile: Profile, opened: Option<NaiveDate>) {
        let union = unions::find(bank_code).expect("demo accounts are at member unions");
        let h = self.key(user, bank_code, kind);
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
        let opened = opened.unwrap_or_else(|| self.opened(user, bank_code, kind));
        let name_kana = match kind {
            Kind::Current => format!("ｸﾗｼﾖｳﾃﾝ {}", user.name_kana),
            _ => user.name_kana.to_owned(),
        };
        let legs = self.legs.remove(&(user.username, bank_code.to_owned(), kind)).unwrap_or_default();
        let ledger = Ledger::new(mix(h, 0x4c45_4447), profile, Dialect::of(self.seed, bank_code), legs, opened);
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

#[cfg(test)]
mod tests {
    use chrono::{Datelike, Months};

    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    fn seed() -> u64 {
        SandboxConfig::default().seed
    }

    fn bank() -> Bank {
        Bank::new(&SandboxConfig::default(), today())
    }

    fn lines(bank: &Bank, account: &Account) -> Vec<Tx> {
        bank.with_ledger(&account.account_id, today(), |l| l.txs().to_vec()).unwrap()
    }

    fn lines_of(bank: &Bank, user: &str, code: &str, type_code: &str) -> Vec<Tx> {
        let accounts = bank.accounts_of(user, code);
        lines(bank, accounts.iter().find(|a| a.identity.account_type_code == type_code).unwrap())
    }

    /// Half-width katakana without the small kana (U+FF67..U+FF6F), capitals, digits, space and
    /// the zengin set's punctuation.
    fn zengin(c: char) -> bool {
        matches!(c, 'ｦ' | 'ｰ'..='ﾟ' | 'A'..='Z' | '0'..='9' | ' ' | '(' | ')' | '-' | '.' | '/')
    }

    #[test]
    fn each_union_prints_in_its_own_dialect_within_the_zengin_character_set() {
        let bank = bank();
        let (mut electricity, mut dashes) = (HashSet::new(), HashSet::new());
        for union in unions::all() {
            let code = union.bank_code.as_str();
            let mut remarks = HashSet::new();
            for user in [DEMO, FAMILY] {
                for account in bank.accounts_of(user.username, code) {
                    remarks.extend(lines(&bank, &account).iter().map(|t| t.remarks));
                }
            }
            let power = Dialect::of(seed(), code).electricity();
            assert!(remarks.contains(power), "{code} prints its electricity bill as {power}");
            electricity.insert(power);
            for r in &remarks {
                assert!(r.chars().all(zengin), "{code}: {r}");
                assert!(!r.contains(['ｧ', 'ｨ', 'ｩ', 'ｪ', 'ｫ', 'ｬ', 'ｭ', 'ｮ', 'ｯ']), "{code}: {r}");
            }
            let dash = (remarks.iter().any(|r| r.contains('ｰ')), remarks.iter().any(|r| r.contains('-')));
            assert!(dash != (true, true), "{code} prints the long vowel one way: {remarks:?}");
            dashes.insert(dash);
        }
        assert!(electricity.len() >= 3, "{electricity:?}");
        assert!(dashes.contains(&(true, false)) && dashes.contains(&(false, true)), "ｰ at some unions, - at others");
    }

    /// Every line of each side (the last year's, bar the last days) has its other side: the
    /// opposite direction, the same amount, at most three days apart.
    fn assert_sides_agree(a: &[Tx], b: &[Tx]) {
        let (start, end) = (today() - Duration::days(365), today() - Duration::days(3));
        for (this, other) in [(a, b), (b, a)] {
            let mut unmatched: Vec<&Tx> = other.iter().collect();
            for t in this.iter().filter(|t| (start..=end).contains(&t.date)) {
                let other_side = unmatched.iter().position(|o| {
                    o.credit != t.credit && o.amount == t.amount && (o.date - t.date).num_days().abs() <= 3
                });
                unmatched.remove(other_side.unwrap_or_else(|| panic!("no other side for {t:?}")));
            }
        }
    }

    /// Money is sent in each of the twelve months before this one.
    fn assert_monthly(sides: &[Tx]) {
        for back in 1..=12 {
            let month = today() - Months::new(back);
            let sent =
                sides.iter().any(|t| !t.credit && (t.date.year(), t.date.month()) == (month.year(), month.month()));
            assert!(sent, "nothing sent in {}-{:02}", month.year(), month.month());
        }
    }

    #[test]
    fn every_payday_the_ordinary_account_feeds_the_savings_account_and_both_ledgers_agree() {
        let bank = bank();
        for (user, code) in [("demo", "2011"), ("demo", "2254"), ("demo", "2680"), ("family", "2011")] {
            let dialect = Dialect::of(seed(), code);
            let ordinary: Vec<Tx> =
                lines_of(&bank, user, code, "01").into_iter().filter(|t| t.remarks == dialect.with_savings()).collect();
            let savings: Vec<Tx> = lines_of(&bank, user, code, "04")
                .into_iter()
                .filter(|t| t.remarks == dialect.with_ordinary())
                .collect();
            assert_sides_agree(&ordinary, &savings);
            assert_monthly(&ordinary);
            assert!(ordinary.iter().any(|t| t.credit), "{user} {code}: the 貯蓄 sends some back once a year");
        }
    }

    #[test]
    fn demo_sends_money_to_their_own_account_at_another_union_every_payday() {
        let bank = bank();
        let sender = lines_of(&bank, "demo", "2011", "01");
        let sent: Vec<Tx> = sender.iter().filter(|t| t.remarks.contains(DEMO.name_kana)).copied().collect();
        let received: Vec<Tx> =
            lines_of(&bank, "demo", "2680", "01").into_iter().filter(|t| t.remarks.contains(DEMO.name_kana)).collect();
        assert!(sent.iter().all(|t| !t.credit) && received.iter().all(|t| t.credit));
        assert_sides_agree(&sent, &received);
        assert_monthly(&sent);
        let fee = Dialect::of(seed(), "2011").transfer_fee();
        for t in &sent {
            let next = sender.iter().find(|n| (n.date, n.seq) == (t.date, t.seq + 1));
            assert_eq!(next.map(|n| (n.amount, n.remarks)), Some((ledger::OTHER_UNION_FEE, fee)), "{t:?}");
        }
    }
}
