//! Deterministic passbook activity. Every day's entries are drawn from a random generator seeded
//! by (seed, account, date) and applied in date order, so a ledger only ever grows at its end:
//! advancing the clock appends days and never rewrites the past, and the same seed gives the
//! same history on every run.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::remarks::{self, Dialect, ISSUERS, Party};

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

/// A day's lines before they are applied: (credit, amount, remarks).
type Lines = Vec<(bool, i64, &'static str)>;

/// Day of the month salaries are paid (the business day before when it is not one).
const SALARY_DAY: u32 = 25;
/// Day of the month a self-employed member's customer pays.
const RECEIPT_DAY: u32 = 10;
/// The card a self-employed member settles (ｲｵﾝ).
const SELF_EMPLOYED_CARD: usize = 3;
/// What a transfer to another union costs the sender.
pub const OTHER_UNION_FEE: i64 = 330;

/// How an account is used; decides which lines appear.
#[derive(Debug, Clone)]
pub enum Profile {
    /// Main 普通 account of an employee: salary, rent, cards, household bills, ATM.
    Salaried { employer: usize, salary: i64, cards: Vec<usize>, rent: i64 },
    /// Pension (偶数月 15日), household bills, 国保, ATM.
    Pensioner { pension: i64 },
    /// Self-employed: customer transfers in, 国民年金, 国保 and 住民税 out, household bills, ATM.
    SelfEmployed,
    /// 貯蓄: the owner's monthly transfer in, a yearly transfer back out, interest.
    Savings,
    /// 定期: one deposit, yearly interest added on the anniversary.
    Time { principal: i64 },
    /// 当座 with 当座貸越: receipts mid-month, bills and payroll late in the month, so the balance
    /// dips below zero.
    Checking { overdraft_limit: i64 },
    /// Large-data mode: `total` lines spread over the 90 days ending `start + 89`.
    Bench { start: NaiveDate, total: u64 },
}

impl Profile {
    /// The day of the month income arrives, and with it the owner's own transfers leave.
    pub fn payday(&self) -> Option<u32> {
        match self {
            Profile::Salaried { .. } => Some(SALARY_DAY),
            Profile::SelfEmployed => Some(RECEIPT_DAY),
            _ => None,
        }
    }
}

/// A transfer between two accounts of one owner. Both ledgers derive its dates and amount from
/// the same key, so each is generated on its own and the two still agree line for line.
#[derive(Debug, Clone, Copy)]
pub struct OwnTransfer {
    /// Mixed from (seed, owner, both accounts); with the year and month it gives the amount.
    pub key: u64,
    /// Day of the month it is sent (3 or later), moved to the business day before. It is the
    /// sender's payday and sends follow the income line, so the money is always there.
    pub day: u32,
    /// Business days it takes to arrive: 0 within one union.
    pub max_lag: u64,
    /// No transfer is sent before this day (both accounts exist).
    pub from: NaiveDate,
    /// Amount range, in units of 10,000 yen.
    pub units: (i64, i64),
    /// Once a year, in a month drawn from the key, instead of every month.
    pub yearly: bool,
}

impl OwnTransfer {
    fn month_key(&self, d: NaiveDate) -> u64 {
        mix(self.key, d.year() as u64 * 12 + u64::from(d.month()))
    }

    /// When the transfer of `d`'s month is sent, if there is one.
    fn sent_in(&self, d: NaiveDate) -> Option<NaiveDate> {
        if self.yearly && mix(self.key, d.year() as u64) % 12 + 1 != u64::from(d.month()) {
            return None;
        }
        let sent = prev_business(nominal(d.year(), d.month(), self.day));
        (sent >= self.from).then_some(sent)
    }

    fn amount(&self, sent: NaiveDate) -> i64 {
        let (lo, hi) = self.units;
        (lo + (self.month_key(sent) % (hi - lo + 1) as u64) as i64) * 10_000
    }

    /// The amount sent on `d`, if any.
    pub fn sent_on(&self, d: NaiveDate) -> Option<i64> {
        (self.sent_in(d) == Some(d)).then(|| self.amount(d))
    }

    /// The amount arriving on `d`, if any (sent this month or, late, the month before).
    pub fn arrives_on(&self, d: NaiveDate) -> Option<i64> {
        let last_month = NaiveDate::from_ymd_opt(d.year(), d.month(), 1).expect("first of month") - Duration::days(1);
        [last_month, d].into_iter().filter_map(|m| self.sent_in(m)).find_map(|sent| {
            let lag = mix(self.month_key(sent), 0x004C_4147) % (self.max_lag + 1);
            let arrival = (0..lag).fold(sent, |day, _| next_business(day + Duration::days(1)));
            (arrival == d).then(|| self.amount(sent))
        })
    }
}

/// The other end of an own transfer, as this account sees it.
#[derive(Debug, Clone, Copy)]
pub enum Counterpart {
    /// The 貯蓄 at the same union (this is the 普通).
    Savings,
    /// The 普通 at the same union (this is the 貯蓄).
    Ordinary,
    /// An account at another union, named by its holder.
    OtherUnion(Party),
}

/// This account's side of an own transfer.
#[derive(Debug, Clone, Copy)]
pub struct Leg {
    pub transfer: OwnTransfer,
    /// Receiving (true) or sending.
    pub credit: bool,
    pub counterpart: Counterpart,
}

/// What one household pays for besides the essentials, drawn once from its account's key.
#[derive(Debug, Clone, Copy)]
struct Household {
    carrier: usize,
    /// Rent by transfer to a landlord, else (`None`) by direct debit.
    landlord: Option<Party>,
    /// Life insurer and monthly premium.
    insurance: Option<(usize, i64)>,
    isp: Option<usize>,
    newspaper: Option<usize>,
    /// A subscription paid through a collection agency, and its monthly fee.
    subscription: Option<(usize, i64)>,
    /// Yearly car tax of a car owner.
    car_tax: Option<i64>,
    car_loan: Option<i64>,
    /// Monthly repayment of a salaried homeowner.
    home_loan: Option<i64>,
    /// Each of a homeowner's four fixed-asset tax installments.
    property_tax: Option<i64>,
    /// 国保 installment (ten a year) and 住民税 installment (four a year) of members without an
    /// employer to deduct them.
    health_insurance: i64,
    residence_tax: i64,
    children: bool,
}

impl Household {
    fn drawn(key: u64, profile: &Profile) -> Self {
        let mut salt = 0x484F_4D45;
        let mut draw = |n: u64| {
            salt += 1;
            mix(key, salt) % n
        };
        let (salaried, pensioner) =
            (matches!(profile, Profile::Salaried { .. }), matches!(profile, Profile::Pensioner { .. }));
        let homeowner = match profile {
            Profile::Salaried { rent, .. } => *rent == 0,
            Profile::Pensioner { .. } => draw(10) < 7,
            _ => draw(2) == 0,
        };
        let car = draw(10) < if pensioner { 4 } else { 6 };
        Household {
            carrier: draw(remarks::CARRIERS as u64) as usize,
            landlord: remarks::LANDLORDS.get(draw(3) as usize).copied(),
            insurance: (draw(4) > 0)
                .then(|| (draw(remarks::INSURERS.len() as u64) as usize, 5_000 + draw(200) as i64 * 100)),
            isp: (draw(2) == 0).then(|| draw(remarks::ISP_COUNT as u64) as usize),
            newspaper: (draw(10) < if pensioner { 7 } else { 2 })
                .then(|| draw(remarks::NEWSPAPERS.len() as u64) as usize),
            subscription: (draw(2) == 0)
                .then(|| (draw(remarks::COLLECTOR_COUNT as u64) as usize, 980 + draw(9) as i64 * 1_000)),
            car_tax: car.then(|| [25_000, 30_500, 36_000, 43_500][draw(4) as usize]),
            car_loan: (car && salaried && draw(2) == 0).then(|| 25_000 + draw(21) as i64 * 1_000),
            home_loan: (homeowner && salaried).then(|| 60_000 + draw(36) as i64 * 1_000),
            property_tax: homeowner.then(|| 15_000 + draw(31) as i64 * 1_000),
            health_insurance: 12_000 + draw(24) as i64 * 1_000,
            residence_tax: 15_000 + draw(36) as i64 * 1_000,
            children: salaried && draw(2) == 0,
        }
    }
}

pub struct Ledger {
    key: u64,
    profile: Profile,
    dialect: Dialect,
    household: Household,
    legs: Vec<Leg>,
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
    /// A ledger printed in `dialect`, with its sides of the owner's own transfers.
    pub fn new(key: u64, profile: Profile, dialect: Dialect, legs: Vec<Leg>, opened: NaiveDate) -> Self {
        let balance = match profile {
            // A large account starts from a carried-forward balance (繰越) rather than a deposit,
            // so exactly `total` lines fall inside the window.
            Profile::Bench { .. } => BENCH_OPENING,
            _ => 0,
        };
        let household = Household::drawn(key, &profile);
        Self {
            key,
            profile,
            dialect,
            household,
            legs,
            opened,
            txs: Vec::new(),
            next_day: opened,
            balance,
            carried: balance,
        }
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

    fn day_lines(&self, d: NaiveDate, rng: &mut ChaCha8Rng, out: &mut Lines) {
        let dialect = &self.dialect;
        if d == self.opened && !matches!(self.profile, Profile::Bench { .. }) {
            let first = match self.profile {
                Profile::Time { principal } => principal,
                Profile::Checking { .. } => 300_000,
                Profile::Savings => 100_000,
                _ => rng.random_range(30..=150) * 10_000,
            };
            out.push((true, first, remarks::OPENING));
        }
        match &self.profile {
            Profile::Salaried { employer, salary, cards, rent } => {
                let (pay, bonus) = dialect.salary(*employer);
                if falls_on(d, SALARY_DAY, Shift::Prev, every) {
                    out.push((true, salary + rng.random_range(-800..=800) * 10, pay));
                }
                self.own_transfers(d, out);
                if falls_on(d, 10, Shift::Prev, |m| m == 6 || m == 12) {
                    out.push((true, salary * 2 + rng.random_range(0..=2_000) * 100, bonus));
                }
                if *rent > 0 && falls_on(d, 27, Shift::Prev, every) {
                    let to = self.household.landlord.map_or(remarks::RENT_DEBIT, |p| dialect.transfer_out(p));
                    out.push((false, *rent, to));
                }
                if let Some(repayment) = self.household.home_loan.filter(|_| falls_on(d, 27, Shift::Next, every)) {
                    out.push((false, repayment, dialect.home_loan()));
                }
                for &card in cards {
                    if falls_on(d, ISSUERS[card].debit_day, Shift::Next, every) {
                        out.push((false, rng.random_range(salary / 25..=salary / 6), dialect.card(card)));
                    }
                }
                // Schools collect monthly, except in the summer holidays.
                if self.household.children && falls_on(d, 5, Shift::Next, |m| m != 8) {
                    out.push((false, rng.random_range(40..=65) * 100, dialect.school()));
                }
                // Cash in proportion to pay: an own-ATM withdrawal on 5 % of days at ¥300,000.
                self.household_lines(d, rng, out, *salary as f64 / 6_000_000.0);
                // Two identical withdrawals on one day (the 2nd Saturday): a pattern clients must
                // not mistake for a duplicate.
                if d.weekday() == Weekday::Sat && (8..=14).contains(&d.day()) {
                    let amount = [20_000, 30_000][rng.random_range(0..2)];
                    out.push((false, amount, dialect.atm_withdrawal()));
                    out.push((false, amount, dialect.atm_withdrawal()));
                }
                if rng.random_bool(0.012) {
                    out.push((true, rng.random_range(1..=5) * 10_000, dialect.transfer_in(Party::TanakaHanako)));
                }
                self.interest(d, out, 10_000);
            }
            Profile::Pensioner { pension } => {
                if falls_on(d, 15, Shift::Prev, |m| m % 2 == 0) {
                    out.push((true, *pension, dialect.pension()));
                }
                self.public_dues(d, out, false);
                self.household_lines(d, rng, out, 0.03);
                self.interest(d, out, 10_000);
            }
            Profile::SelfEmployed => {
                if falls_on(d, RECEIPT_DAY, Shift::Prev, every) {
                    out.push((true, rng.random_range(200..=450) * 1_000, dialect.transfer_in(Party::MidoriShokai)));
                }
                self.own_transfers(d, out);
                if d == last_business_day(d.year(), d.month()) {
                    out.push((false, 16_980, dialect.pension_premium()));
                }
                self.public_dues(d, out, true);
                let card = &ISSUERS[SELF_EMPLOYED_CARD];
                if falls_on(d, card.debit_day, Shift::Next, every) {
                    out.push((false, rng.random_range(5_000..=60_000), dialect.card(SELF_EMPLOYED_CARD)));
                }
                self.household_lines(d, rng, out, 0.07);
                self.interest(d, out, 10_000);
            }
            Profile::Savings => {
                self.own_transfers(d, out);
                self.interest(d, out, 2_000);
            }
            Profile::Time { .. } => {
                let anniversary = d != self.opened && d.month() == self.opened.month() && {
                    let nominal = nominal(d.year(), d.month(), self.opened.day());
                    next_business(nominal) == d
                };
                if anniversary {
                    // 0.2 % a year, less 20.315 % withholding tax.
                    out.push((true, self.balance * 2 / 1000 * 79_685 / 100_000, dialect.interest()));
                }
            }
            Profile::Checking { .. } => {
                if falls_on(d, 10, Shift::Prev, every) {
                    // Receipts pull the balance back up; payments late in the month push it below
                    // zero, into the overdraft (当座貸越).
                    let amount = (750_000 + rng.random_range(-100..=100) * 1_000 - self.balance / 2).max(100_000);
                    out.push((true, amount / 1_000 * 1_000, dialect.transfer_in(Party::YamatoShokai)));
                }
                if falls_on(d, 25, Shift::Prev, every) {
                    out.push((false, rng.random_range(400..=600) * 1_000, remarks::BILL));
                }
                if d == last_business_day(d.year(), d.month()) {
                    out.push((false, rng.random_range(300..=450) * 1_000, remarks::BULK_TRANSFER));
                    out.push((false, 440, dialect.transfer_fee()));
                }
                if is_business(d) && rng.random_bool(0.08) {
                    out.push((false, rng.random_range(10..=80) * 1_000, remarks::CHEQUE));
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

    /// This account's sides of the owner's own transfers on `d`. A 普通 calls it right after its
    /// payday's income line and a 貯蓄 sends only what it has surely saved, so whatever is sent
    /// is covered and the receiving ledger never credits money the sender could not send.
    fn own_transfers(&self, d: NaiveDate, out: &mut Lines) {
        for leg in &self.legs {
            let amount = if leg.credit { leg.transfer.arrives_on(d) } else { leg.transfer.sent_on(d) };
            let Some(amount) = amount else { continue };
            let remarks = match leg.counterpart {
                Counterpart::Savings => self.dialect.with_savings(),
                Counterpart::Ordinary => self.dialect.with_ordinary(),
                Counterpart::OtherUnion(owner) if leg.credit => self.dialect.transfer_in(owner),
                Counterpart::OtherUnion(owner) => self.dialect.transfer_out(owner),
            };
            out.push((leg.credit, amount, remarks));
            if !leg.credit && matches!(leg.counterpart, Counterpart::OtherUnion(_)) {
                out.push((false, OTHER_UNION_FEE, self.dialect.transfer_fee()));
            }
        }
    }

    /// 国保 (June to March) and, for the self-employed, 住民税 (June, August, October, January),
    /// both on the month's last business day: no employer deducts them from pay.
    fn public_dues(&self, d: NaiveDate, out: &mut Lines, residence_tax: bool) {
        if d != last_business_day(d.year(), d.month()) {
            return;
        }
        if !matches!(d.month(), 4 | 5) {
            out.push((false, self.household.health_insurance, self.dialect.health_insurance()));
        }
        if residence_tax && matches!(d.month(), 6 | 8 | 10 | 1) {
            out.push((false, self.household.residence_tax, self.dialect.residence_tax()));
        }
    }

    /// What every household pays and spends: utilities, telephones, insurance, subscriptions,
    /// taxes, loans, shopping and cash (own ATMs withdraw on a day with probability `cash`),
    /// plus a few lines no starter rule set can know (money sent to friends, collection
    /// agencies, one-off dues), so categorising them is never trivially complete.
    fn household_lines(&self, d: NaiveDate, rng: &mut ChaCha8Rng, out: &mut Lines, cash: f64) {
        let (h, dialect) = (&self.household, &self.dialect);
        let winter = matches!(d.month(), 12 | 1 | 2 | 3);
        let summer = matches!(d.month(), 7..=9);
        if falls_on(d, 22, Shift::Next, every) {
            let (lo, hi) = if winter {
                (12_000, 18_000)
            } else if summer {
                (9_000, 14_000)
            } else {
                (6_000, 9_000)
            };
            out.push((false, rng.random_range(lo..=hi), dialect.electricity()));
        }
        if falls_on(d, 23, Shift::Next, every) {
            let (lo, hi) = if winter { (7_000, 11_000) } else { (3_500, 6_000) };
            out.push((false, rng.random_range(lo..=hi), dialect.gas()));
        }
        if falls_on(d, 20, Shift::Next, |m| m % 2 == 0) {
            out.push((false, rng.random_range(5_000..=9_000), dialect.water()));
        }
        if falls_on(d, 27, Shift::Next, every) {
            out.push((false, rng.random_range(1_800..=4_500), dialect.phone()));
        }
        if falls_on(d, 27, Shift::Next, |m| m % 2 == 1) {
            out.push((false, 2_200, dialect.nhk()));
        }
        if falls_on(d, 28, Shift::Next, every) {
            out.push((false, rng.random_range(2_500..=9_800), dialect.mobile(h.carrier)));
        }
        if let Some((insurer, premium)) = h.insurance.filter(|_| falls_on(d, 27, Shift::Next, every)) {
            out.push((false, premium, remarks::INSURERS[insurer]));
        }
        if let Some(isp) = h.isp.filter(|_| falls_on(d, 26, Shift::Next, every)) {
            out.push((false, rng.random_range(4_400..=5_500), dialect.isp(isp)));
        }
        if let Some(paper) = h.newspaper.filter(|_| falls_on(d, 25, Shift::Next, every)) {
            out.push((false, 4_400, remarks::NEWSPAPERS[paper]));
        }
        if let Some(installment) = h.car_loan.filter(|_| falls_on(d, 6, Shift::Next, every)) {
            out.push((false, installment, dialect.car_loan()));
        }
        let month_end = d == last_business_day(d.year(), d.month());
        if let Some(tax) = h.car_tax.filter(|_| month_end && d.month() == 5) {
            out.push((false, tax, dialect.car_tax()));
        }
        if let Some(tax) = h.property_tax.filter(|_| month_end && matches!(d.month(), 4 | 7 | 12 | 2)) {
            out.push((false, tax, remarks::FIXED_ASSET_TAX));
        }
        if rng.random_bool(0.08) {
            out.push((false, rng.random_range(5..=120) * 100, dialect.debit(rng.random_range(0..60))));
        }
        // ATMs run at weekends too; partner ATMs (convenience stores, ゆうちょ) charge a fee,
        // more outside business days.
        if rng.random_bool(cash) {
            out.push((false, [10_000, 20_000, 30_000, 50_000][rng.random_range(0..4)], dialect.atm_withdrawal()));
        }
        if rng.random_bool(0.02) {
            out.push((true, rng.random_range(1..=10) * 10_000, dialect.atm_deposit()));
        }
        if rng.random_bool(0.025) {
            let network = rng.random_range(0..remarks::ATM_NETWORKS);
            out.push((false, rng.random_range(1..=2) * 10_000, dialect.partner_atm(network)));
            out.push((false, if is_business(d) { 110 } else { 220 }, dialect.atm_fee()));
        }
        if let Some((collector, fee)) = h.subscription.filter(|_| falls_on(d, 27, Shift::Next, every)) {
            out.push((false, fee, dialect.collector(collector)));
        }
        if rng.random_bool(0.03) {
            let friend = remarks::FRIENDS[rng.random_range(0..remarks::FRIENDS.len())];
            out.push((false, rng.random_range(1..=6) * 5_000, dialect.transfer_out(friend)));
        }
        if rng.random_bool(0.01) {
            let due = remarks::ODD_PAYMENTS[rng.random_range(0..remarks::ODD_PAYMENTS.len())];
            out.push((false, rng.random_range(1..=10) * 1_000, due));
        }
    }

    /// Half-yearly interest (February and August) at `balance / divisor`.
    fn interest(&self, d: NaiveDate, out: &mut Lines, divisor: i64) {
        if falls_on(d, 20, Shift::Next, |m| m == 2 || m == 8) && d != self.opened {
            out.push((true, self.balance / divisor, self.dialect.interest()));
        }
    }
}

/// Carried-forward balance of the large-data account.
const BENCH_OPENING: i64 = 10_000_000;

const BENCH_REMARKS: [[&str; 4]; 2] =
    [["ATMｼﾊﾗｲ", "ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ", "ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾌﾘｺﾐ ｸﾗ ｼﾞﾛｳ"], ["ATMﾆﾕｳｷﾝ", "ﾌﾘｺﾐ ﾀﾅｶ ﾊﾅｺ", "ﾌﾘｺﾐ ｶ)ﾐﾄﾞﾘｼﾖｳｶｲ", "ﾌﾘｶｴ"]];

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

/// Every month, for [`falls_on`].
fn every(_: u32) -> bool {
    true
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

    fn dialect() -> Dialect {
        Dialect::of(0, "2011")
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
        let mut a = Ledger::new(7, profile.clone(), dialect(), Vec::new(), ymd(2024, 1, 5));
        a.extend_to(ymd(2025, 6, 1));
        let before = a.txs().to_vec();
        a.extend_to(ymd(2026, 6, 1));
        assert_eq!(&a.txs()[..before.len()], &before[..]);
        let mut b = Ledger::new(7, profile, dialect(), Vec::new(), ymd(2024, 1, 5));
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
    fn both_sides_of_an_own_transfer_agree_across_month_ends() {
        // Sent on the month's last business day, arriving up to a business day later: often in
        // the next month.
        let transfer = OwnTransfer { key: 9, day: 31, max_lag: 1, from: ymd(2025, 3, 1), units: (1, 9), yearly: false };
        let days: Vec<NaiveDate> = ymd(2025, 1, 1).iter_days().take_while(|d| *d < ymd(2027, 1, 10)).collect();
        let sent: Vec<(NaiveDate, i64)> = days.iter().filter_map(|&d| Some((d, transfer.sent_on(d)?))).collect();
        let arrived: Vec<(NaiveDate, i64)> = days.iter().filter_map(|&d| Some((d, transfer.arrives_on(d)?))).collect();
        assert_eq!(sent.len(), 22, "monthly from March 2025");
        assert_eq!(sent.len(), arrived.len());
        for ((sent_on, a), (arrived_on, b)) in sent.iter().zip(&arrived) {
            assert_eq!(a, b);
            assert!(*arrived_on == *sent_on || *arrived_on == next_business(*sent_on + Duration::days(1)));
        }
        assert!(sent.iter().zip(&arrived).any(|(s, a)| s.0.month() != a.0.month()), "some arrive next month");
        assert!(sent.iter().zip(&arrived).any(|(s, a)| s.0 == a.0), "some arrive the same day");
    }

    #[test]
    fn bench_has_exactly_the_requested_lines_in_the_window() {
        let start = ymd(2026, 1, 1);
        let mut l = Ledger::new(1, Profile::Bench { start, total: 10_007 }, dialect(), Vec::new(), start);
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
