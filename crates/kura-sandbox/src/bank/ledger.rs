//! Deterministic passbook activity. Every day's entries are drawn from a random generator seeded
//! by (seed, account, date) and applied in date order, so a ledger only ever grows at its end:
//! advancing the clock appends days and never rewrites the past, and the same seed gives the
//! same history on every run.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One passbook line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tx {
    pub date: NaiveDate,
    /// 1-based position within the day; with `date` it orders and identifies the line.
    pub seq: u32,
    /// 入金 (true) or 出金 (false).
    pub credit: bool,
    /// Positive magnitude in yen.
    pub amount: i64,
    /// Balance after this line.
    pub balance: i64,
    /// Half-width katakana, as the passbook prints it.
    pub remarks: &'static str,
}

impl Tx {
    /// `YYYYMMDD` + six-digit sequence: stable and unique within the account.
    pub fn item_key(&self) -> String {
        format!("{}{:06}", self.date.format("%Y%m%d"), self.seq)
    }
}

/// Employer remarks for salary and bonus credits.
pub const EMPLOYERS: &[(&str, &str)] = &[
    ("ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ", "ｼﾖｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ"),
    ("ｷﾕｳﾖ ｶ)ﾎｸｵｳﾃﾞﾝｷ", "ｼﾖｳﾖ ｶ)ﾎｸｵｳﾃﾞﾝｷ"),
    ("ｷﾕｳﾖ ﾕ)ｻｸﾗｹﾝｾﾂ", "ｼﾖｳﾖ ﾕ)ｻｸﾗｹﾝｾﾂ"),
    ("ｷﾕｳﾖ ｲ)ﾔﾏﾉﾃｸﾘﾆﾂｸ", "ｼﾖｳﾖ ｲ)ﾔﾏﾉﾃｸﾘﾆﾂｸ"),
];

/// Card settlements, one nominal debit day each.
pub const CARDS: &[(&str, u32)] = &[("ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ", 26), ("ｶｰﾄﾞ JCB", 10), ("ｶｰﾄﾞ ﾗｸﾃﾝｶｰﾄﾞ", 27), ("ｶｰﾄﾞ ｲｵﾝｸﾚｼﾞﾂﾄ", 2)];

/// How an account is used; decides which lines appear.
#[derive(Debug, Clone)]
pub enum Profile {
    /// Main 普通 account of an employee: salary, utilities, cards, rent, ATM.
    Salaried { employer: usize, salary: i64, cards: Vec<usize>, rent: i64 },
    /// Pension (偶数月 15日), utilities, ATM.
    Pensioner { pension: i64 },
    /// Self-employed: customer transfers in, 国民年金 out, utilities, ATM.
    SelfEmployed,
    /// 貯蓄: monthly transfer in, rare transfer out, interest.
    Savings,
    /// 定期: one deposit, yearly interest added on the anniversary.
    Time { principal: i64 },
    /// 当座 with 当座貸越: receipts mid-month, bills and payroll late in the month, so the balance
    /// dips below zero.
    Checking { overdraft_limit: i64 },
    /// Large-data mode: `total` lines spread over the 90 days ending `start + 89`.
    Bench { start: NaiveDate, total: u64 },
}

pub struct Ledger {
    key: u64,
    profile: Profile,
    opened: NaiveDate,
    txs: Vec<Tx>,
    /// First day not generated yet.
    next_day: NaiveDate,
    balance: i64,
    /// Balance before the first line still held (lines of a large-data ledger that left the
    /// 90-day window are dropped to keep memory bounded).
    carried: i64,
}

/// Days a large-data ledger keeps; older lines can no longer be served.
const BENCH_KEEP_DAYS: i64 = 90;

/// splitmix64 finaliser over two words: a stable mixer (std's hashers may change between releases).
pub fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_add(0x9E37_79B9_7F4A_7C15).rotate_left(29);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// FNV-1a, for turning account ids into seeds.
pub fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01B3))
}

impl Ledger {
    pub fn new(key: u64, profile: Profile, opened: NaiveDate) -> Self {
        let balance = match profile {
            // A large account starts from a carried-forward balance (繰越) rather than a deposit,
            // so exactly `total` lines fall inside the window.
            Profile::Bench { .. } => BENCH_OPENING,
            _ => 0,
        };
        Self { key, profile, opened, txs: Vec::new(), next_day: opened, balance, carried: balance }
    }

    /// Lowest balance a debit may leave: the overdraft line of a 当座, else zero.
    pub fn floor(&self) -> i64 {
        match self.profile {
            Profile::Checking { overdraft_limit } => -overdraft_limit,
            _ => 0,
        }
    }

    /// What can be withdrawn now: a 定期 nothing before maturity, a 当座 down to its overdraft line.
    pub fn withdrawable(&self, balance: i64) -> i64 {
        match self.profile {
            Profile::Time { .. } => 0,
            _ => (balance - self.floor()).max(0),
        }
    }

    /// Generates every day up to and including `today`.
    pub fn extend_to(&mut self, today: NaiveDate) {
        while self.next_day <= today {
            let day = self.next_day;
            let mut rng = ChaCha8Rng::seed_from_u64(mix(self.key, day.num_days_from_ce() as u64));
            let mut lines = Vec::new();
            self.day_lines(day, &mut rng, &mut lines);
            let floor = self.floor();
            let mut seq = 0;
            for (credit, amount, remarks) in lines {
                let balance = if credit { self.balance + amount } else { self.balance - amount };
                // A debit the account cannot cover is simply not made, as a bank would refuse it.
                if amount <= 0 || balance < floor {
                    continue;
                }
                seq += 1;
                self.balance = balance;
                self.txs.push(Tx { date: day, seq, credit, amount, balance, remarks });
            }
            self.next_day = day + Duration::days(1);
        }
        if matches!(self.profile, Profile::Bench { .. }) {
            let cutoff = today - Duration::days(BENCH_KEEP_DAYS - 1);
            let gone = self.txs.partition_point(|t| t.date < cutoff);
            if gone > 0 {
                self.carried = self.txs[gone - 1].balance;
                self.txs.drain(..gone);
            }
        }
    }

    /// Lines generated so far (for a large-data ledger, those of the last 90 days), ascending by
    /// (date, seq). Callers filter by date.
    pub fn txs(&self) -> &[Tx] {
        &self.txs
    }

    /// Balance at the end of `day` (which must already be generated).
    pub fn balance_on(&self, day: NaiveDate) -> i64 {
        let end = self.txs.partition_point(|t| t.date <= day);
        match end {
            0 => self.carried,
            n => self.txs[n - 1].balance,
        }
    }

    fn day_lines(&self, d: NaiveDate, rng: &mut ChaCha8Rng, out: &mut Vec<(bool, i64, &'static str)>) {
        if d == self.opened && !matches!(self.profile, Profile::Bench { .. }) {
            let first = match self.profile {
                Profile::Time { principal } => principal,
                Profile::Checking { .. } => 300_000,
                Profile::Savings => 100_000,
                _ => rng.random_range(30..=150) * 10_000,
            };
            out.push((true, first, "ｼﾝｷ"));
        }
        match &self.profile {
            Profile::Salaried { employer, salary, cards, rent } => {
                let (pay, bonus) = EMPLOYERS[*employer];
                if falls_on(d, 25, Shift::Prev, |_| true) {
                    out.push((true, salary + rng.random_range(-800..=800) * 10, pay));
                }
                if falls_on(d, 10, Shift::Prev, |m| m == 6 || m == 12) {
                    out.push((true, salary * 2 + rng.random_range(0..=2_000) * 100, bonus));
                }
                if falls_on(d, 27, Shift::Prev, |_| true) {
                    out.push((false, *rent, "ﾌﾘｺﾐ ｶ)ｻｸﾗﾌﾄﾞｳｻﾝ"));
                }
                for &card in cards {
                    let (name, day) = CARDS[card];
                    if falls_on(d, day, Shift::Next, |_| true) {
                        out.push((false, rng.random_range(15_000..=140_000), name));
                    }
                }
                utilities(d, rng, out);
                atm(rng, out, 0.12);
                // Two identical withdrawals on one day (the 2nd Saturday): a pattern clients must
                // not mistake for a duplicate.
                if d.weekday() == Weekday::Sat && (8..=14).contains(&d.day()) {
                    let amount = [20_000, 30_000][rng.random_range(0..2)];
                    out.push((false, amount, "ATMｼﾊﾗｲ"));
                    out.push((false, amount, "ATMｼﾊﾗｲ"));
                }
                if rng.random_bool(0.012) {
                    out.push((true, rng.random_range(1..=5) * 10_000, "ﾌﾘｺﾐ ﾀﾅｶ ﾊﾅｺ"));
                }
                if rng.random_bool(0.008) {
                    out.push((false, rng.random_range(1..=3) * 10_000, "ﾌﾘｺﾐ ｸﾗ ｼﾞﾛｳ"));
                }
                self.interest(d, out, 10_000);
            }
            Profile::Pensioner { pension } => {
                if falls_on(d, 15, Shift::Prev, |m| m % 2 == 0) {
                    out.push((true, *pension, "ﾈﾝｷﾝ"));
                }
                utilities(d, rng, out);
                atm(rng, out, 0.08);
                if rng.random_bool(0.01) {
                    out.push((false, rng.random_range(1..=5) * 10_000, "ﾌﾘｺﾐ ﾀﾅｶ ﾊﾅｺ"));
                }
                self.interest(d, out, 10_000);
            }
            Profile::SelfEmployed => {
                if falls_on(d, 10, Shift::Prev, |_| true) {
                    out.push((true, rng.random_range(200..=450) * 1_000, "ﾌﾘｺﾐ ｶ)ﾐﾄﾞﾘｼﾖｳｶｲ"));
                }
                if d == last_business_day(d.year(), d.month()) {
                    out.push((false, 16_980, "ｺｸﾐﾝﾈﾝｷﾝ"));
                }
                let card = CARDS[3];
                if falls_on(d, card.1, Shift::Next, |_| true) {
                    out.push((false, rng.random_range(5_000..=60_000), card.0));
                }
                utilities(d, rng, out);
                atm(rng, out, 0.10);
                self.interest(d, out, 10_000);
            }
            Profile::Savings => {
                if falls_on(d, 26, Shift::Next, |_| true) {
                    out.push((true, rng.random_range(3..=5) * 10_000, "ﾌﾘｶｴ"));
                }
                if is_business(d) && rng.random_bool(0.006) {
                    out.push((false, rng.random_range(10..=30) * 10_000, "ﾌﾘｶｴ"));
                }
                self.interest(d, out, 2_000);
            }
            Profile::Time { .. } => {
                let anniversary = d != self.opened && d.month() == self.opened.month() && {
                    let nominal = nominal(d.year(), d.month(), self.opened.day());
                    next_business(nominal) == d
                };
                if anniversary {
                    // 0.2 % a year, less 20.315 % withholding tax.
                    out.push((true, self.balance * 2 / 1000 * 79_685 / 100_000, "ﾘｿｸ"));
                }
            }
            Profile::Checking { .. } => {
                if falls_on(d, 10, Shift::Prev, |_| true) {
                    // Receipts pull the balance back up; payments late in the month push it below
                    // zero, into the overdraft (当座貸越).
                    let amount = (750_000 + rng.random_range(-100..=100) * 1_000 - self.balance / 2).max(100_000);
                    out.push((true, amount / 1_000 * 1_000, "ﾌﾘｺﾐ ｶ)ﾔﾏﾄｼﾖｳｶｲ"));
                }
                if falls_on(d, 25, Shift::Prev, |_| true) {
                    out.push((false, rng.random_range(400..=600) * 1_000, "ﾃｶﾞﾀ"));
                }
                if d == last_business_day(d.year(), d.month()) {
                    out.push((false, rng.random_range(300..=450) * 1_000, "ｿｳｺﾞｳﾌﾘｺﾐ"));
                    out.push((false, 440, "ﾃｽｳﾘﾖｳ"));
                }
                if is_business(d) && rng.random_bool(0.08) {
                    out.push((false, rng.random_range(10..=80) * 1_000, "ｺｷﾞﾂﾃ"));
                }
            }
            Profile::Bench { start, total } => {
                let index = (d - *start).num_days();
                let count = match index {
                    ..0 => 0,
                    0..90 => total / 90 + u64::from((index as u64) < total % 90),
                    _ => total / 90,
                };
                let mut balance = self.balance;
                for _ in 0..count {
                    // Biased towards the middle so the balance never leaves [2M, 18M] and every
                    // generated line is applied: exactly `count` lines a day.
                    let credit = if balance < 2_000_000 {
                        true
                    } else if balance > 18_000_000 {
                        false
                    } else {
                        rng.random_bool(0.5)
                    };
                    let amount = rng.random_range(10..=5_000) * 10;
                    let remarks = BENCH_REMARKS[usize::from(credit)][rng.random_range(0..4)];
                    balance += if credit { amount } else { -amount };
                    out.push((credit, amount, remarks));
                }
            }
        }
    }

    /// Half-yearly interest (February and August) at `balance / divisor`.
    fn interest(&self, d: NaiveDate, out: &mut Vec<(bool, i64, &'static str)>, divisor: i64) {
        if falls_on(d, 20, Shift::Next, |m| m == 2 || m == 8) && d != self.opened {
            out.push((true, self.balance / divisor, "ﾘｿｸ"));
        }
    }
}

/// Carried-forward balance of the large-data account.
const BENCH_OPENING: i64 = 10_000_000;

const BENCH_REMARKS: [[&str; 4]; 2] =
    [["ATMｼﾊﾗｲ", "ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ", "ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾌﾘｺﾐ ｸﾗ ｼﾞﾛｳ"], ["ATMﾆﾕｳｷﾝ", "ﾌﾘｺﾐ ﾀﾅｶ ﾊﾅｺ", "ﾌﾘｺﾐ ｶ)ﾐﾄﾞﾘｼﾖｳｶｲ", "ﾌﾘｶｴ"]];

/// Household direct debits shared by the personal profiles.
fn utilities(d: NaiveDate, rng: &mut ChaCha8Rng, out: &mut Vec<(bool, i64, &'static str)>) {
    let winter = matches!(d.month(), 12 | 1 | 2 | 3);
    let summer = matches!(d.month(), 7..=9);
    if falls_on(d, 22, Shift::Next, |_| true) {
        let (lo, hi) = if winter {
            (12_000, 18_000)
        } else if summer {
            (9_000, 14_000)
        } else {
            (6_000, 9_000)
        };
        out.push((false, rng.random_range(lo..=hi), "ﾃﾞﾝｷﾘﾖｳｷﾝ"));
    }
    if falls_on(d, 23, Shift::Next, |_| true) {
        let (lo, hi) = if winter { (7_000, 11_000) } else { (3_500, 6_000) };
        out.push((false, rng.random_range(lo..=hi), "ｶﾞｽﾘﾖｳｷﾝ"));
    }
    if falls_on(d, 20, Shift::Next, |m| m % 2 == 0) {
        out.push((false, rng.random_range(5_000..=9_000), "ｽｲﾄﾞｳﾘﾖｳｷﾝ"));
    }
    if falls_on(d, 27, Shift::Next, |_| true) {
        out.push((false, rng.random_range(4_000..=9_000), "ﾃﾞﾝﾜﾘﾖｳ"));
    }
    if falls_on(d, 27, Shift::Next, |m| m % 2 == 1) {
        out.push((false, 2_200, "NHK ｼﾞﾕｼﾝﾘﾖｳ"));
    }
}

/// ATM withdrawals (any day, machines run at weekends) and occasional deposits.
fn atm(rng: &mut ChaCha8Rng, out: &mut Vec<(bool, i64, &'static str)>, p: f64) {
    if rng.random_bool(p) {
        out.push((false, [10_000, 20_000, 30_000, 50_000][rng.random_range(0..4)], "ATMｼﾊﾗｲ"));
    }
    if rng.random_bool(0.02) {
        out.push((true, rng.random_range(1..=10) * 10_000, "ATMﾆﾕｳｷﾝ"));
    }
}

/// Which way a debit/credit scheduled on a weekend moves: salaries and pensions are paid on the
/// business day before, direct debits are taken on the business day after.
#[derive(Clone, Copy)]
enum Shift {
    Prev,
    Next,
}

pub fn is_business(d: NaiveDate) -> bool {
    !matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

fn prev_business(mut d: NaiveDate) -> NaiveDate {
    while !is_business(d) {
        d = d.pred_opt().expect("dates stay far from chrono's limits");
    }
    d
}

fn next_business(mut d: NaiveDate) -> NaiveDate {
    while !is_business(d) {
        d = d.succ_opt().expect("dates stay far from chrono's limits");
    }
    d
}

/// Day `day` of the month, or the month's last day when it is shorter.
fn nominal(year: i32, month: u32, day: u32) -> NaiveDate {
    (1..=day).rev().find_map(|d| NaiveDate::from_ymd_opt(year, month, d)).expect("day 1 exists")
}

fn last_business_day(year: i32, month: u32) -> NaiveDate {
    prev_business(nominal(year, month, 31))
}

/// Whether a monthly item due on `day` (in months accepted by `months`) lands on `d` once moved
/// off weekends; checks the neighbouring months too, since a shift can cross a month boundary.
fn falls_on(d: NaiveDate, day: u32, shift: Shift, months: impl Fn(u32) -> bool) -> bool {
    let first = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("first of month");
    let candidates = [first - Duration::days(1), first, first + Duration::days(32)];
    candidates.iter().any(|m| {
        months(m.month()) && {
            let due = nominal(m.year(), m.month(), day);
            let moved = match shift {
                Shift::Prev => prev_business(due),
                Shift::Next => next_business(due),
            };
            moved == d
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn salary_day_moves_to_the_friday_before_a_weekend() {
        // 2026-10-25 is a Sunday.
        assert!(falls_on(ymd(2026, 10, 23), 25, Shift::Prev, |_| true));
        assert!(!falls_on(ymd(2026, 10, 25), 25, Shift::Prev, |_| true));
    }

    #[test]
    fn direct_debit_can_move_into_the_next_month() {
        // 2026-02-28 is a Saturday; a debit due on the 28th moves to Monday 2 March.
        assert!(falls_on(ymd(2026, 3, 2), 28, Shift::Next, |m| m == 2));
    }

    #[test]
    fn balances_chain_and_extension_only_appends() {
        let profile = Profile::Checking { overdraft_limit: 1_000_000 };
        let mut a = Ledger::new(7, profile.clone(), ymd(2024, 1, 5));
        a.extend_to(ymd(2025, 6, 1));
        let before = a.txs().to_vec();
        a.extend_to(ymd(2026, 6, 1));
        assert_eq!(&a.txs()[..before.len()], &before[..]);
        let mut b = Ledger::new(7, profile, ymd(2024, 1, 5));
        b.extend_to(ymd(2026, 6, 1));
        assert_eq!(a.txs(), b.txs());
        let mut balance = 0;
        for t in a.txs() {
            balance += if t.credit { t.amount } else { -t.amount };
            assert_eq!(balance, t.balance);
        }
        assert!(a.txs().iter().any(|t| t.balance < 0), "the 当座 dips into its overdraft");
    }

    #[test]
    fn bench_has_exactly_the_requested_lines_in_the_window() {
        let start = ymd(2026, 1, 1);
        let mut l = Ledger::new(1, Profile::Bench { start, total: 10_007 }, start);
        l.extend_to(start + Duration::days(89));
        assert_eq!(l.txs().len(), 10_007);
        let last = *l.txs().last().unwrap();
        // Thirty days on, the window holds 60 old days and 30 new ones; older lines are dropped
        // but the balance carries over.
        l.extend_to(start + Duration::days(119));
        let per_day = 10_007 / 90;
        // The first 17 days (10_007 % 90) hold one extra line each.
        assert_eq!(l.txs().len() as u64, 10_007 - (30 * per_day + 10_007 % 90) + 30 * per_day);
        assert!(l.txs()[0].date == start + Duration::days(30));
        let kept = l.txs().iter().position(|t| (t.date, t.seq) == (last.date, last.seq)).unwrap();
        assert_eq!(l.txs()[kept], last);
        assert_eq!(l.balance_on(start + Duration::days(10)), l.carried);
        let mut balance = l.carried;
        for t in l.txs() {
            balance += if t.credit { t.amount } else { -t.amount };
            assert_eq!(balance, t.balance);
        }
    }
}
