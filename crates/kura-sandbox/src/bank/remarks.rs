//! How the unions print passbook remarks (摘要). Each union has its own "dialect": half-width
//! katakana of the zengin character set (no small kana, so 給与 is ｷﾕｳﾖ), the long vowel as ｰ at
//! some unions and as the ASCII hyphen at others (ｶｰﾄﾞ, ｶ-ﾄﾞ), and its own wording for the same
//! kind of line (ﾃﾞﾝｷﾘﾖｳｷﾝ at one union, ｶﾝﾃﾞﾝ at another). A dialect is drawn once per union from
//! the seed and the bank code, so one account always writes a kind of line the same way while
//! unions differ, as real passbooks do.

use super::ledger::{hash_str, mix};

/// A remark as printed with the long vowel ｰ (index 0) and with the zengin hyphen (index 1).
type Spelled = [&'static str; 2];

/// Whether the long vowel ｰ (U+FF70, `EF BD B0` in UTF-8) starts at byte `i`.
const fn is_long_vowel(b: &[u8], i: usize) -> bool {
    i + 2 < b.len() && b[i] == 0xEF && b[i + 1] == 0xBD && b[i + 2] == 0xB0
}

/// Length in bytes of `s` once every ｰ is replaced by `-`.
const fn hyphenated_len(s: &str) -> usize {
    let b = s.as_bytes();
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        i += if is_long_vowel(b, i) { 3 } else { 1 };
        n += 1;
    }
    n
}

/// The bytes of `s` with every ｰ replaced by `-`; `N` is [`hyphenated_len`] of `s`.
const fn hyphenate<const N: usize>(s: &str) -> [u8; N] {
    let b = s.as_bytes();
    let mut out = [0; N];
    let (mut i, mut n) = (0, 0);
    while i < b.len() {
        if is_long_vowel(b, i) {
            out[n] = b'-';
            i += 3;
        } else {
            out[n] = b[i];
            i += 1;
        }
        n += 1;
    }
    out
}

/// Both spellings of a remark, made at compile time so remarks stay `&'static str`.
macro_rules! spelled {
    ($s:expr) => {{
        const HYPHENATED: [u8; hyphenated_len($s)] = hyphenate($s);
        [
            $s,
            match std::str::from_utf8(&HYPHENATED) {
                Ok(s) => s,
                Err(_) => panic!("replacing a whole character by ASCII keeps UTF-8 valid"),
            },
        ]
    }};
}

/// A card issuer: the day it debits its monthly settlement and how unions print that debit.
pub struct Issuer {
    pub debit_day: u32,
    forms: [Spelled; 4],
}

/// `ｶｰﾄﾞ <name>`, the issuer's company name, `<brand> ｶｰﾄﾞ`, `ｸﾚｼﾞﾂﾄ <brand>`.
macro_rules! issuer {
    ($day:expr, $name:literal, $company:literal, $brand:literal) => {
        Issuer {
            debit_day: $day,
            forms: [
                spelled!(concat!("ｶｰﾄﾞ ", $name)),
                spelled!($company),
                spelled!(concat!($brand, " ｶｰﾄﾞ")),
                spelled!(concat!("ｸﾚｼﾞﾂﾄ ", $brand)),
            ],
        }
    };
}

pub const ISSUERS: [Issuer; 7] = [
    issuer!(26, "ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ", "ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ(ｶ", "ﾐﾂｲｽﾐﾄﾓ"),
    issuer!(10, "JCB", "ｶ)ｼﾞｴｰｼｰﾋﾞｰ", "JCB"),
    issuer!(27, "ﾗｸﾃﾝｶｰﾄﾞ", "ﾗｸﾃﾝｶｰﾄﾞ(ｶ", "ﾗｸﾃﾝ"),
    issuer!(2, "ｲｵﾝｸﾚｼﾞﾂﾄ", "ｲｵﾝｸﾚｼﾞﾂﾄｻｰﾋﾞｽ(ｶ", "ｲｵﾝ"),
    issuer!(10, "DCｶｰﾄﾞ", "ﾐﾂﾋﾞｼUFJﾆｺｽ(ｶ", "DC"),
    issuer!(4, "ｾｿﾞﾝ", "ｶ)ｸﾚﾃﾞｲｾｿﾞﾝ", "ｾｿﾞﾝ"),
    issuer!(27, "ｵﾘｺ", "ｶ)ｵﾘｴﾝﾄｺｰﾎﾟﾚｰｼﾖﾝ", "ｵﾘｺ"),
];

/// (salary, bonus) as `ｷﾕｳﾖ ｶ)<name>`, plain `ｷﾕｳﾖ`, the employer alone, `ｷﾕｳﾖ <name>(ｶ`.
macro_rules! employer {
    ($prefix:literal, $name:literal, $suffix:literal) => {
        [
            [concat!("ｷﾕｳﾖ ", $prefix, $name), concat!("ｼﾖｳﾖ ", $prefix, $name)],
            ["ｷﾕｳﾖ", "ｼﾖｳﾖ"],
            [concat!($prefix, $name), concat!($prefix, $name)],
            [concat!("ｷﾕｳﾖ ", $name, $suffix), concat!("ｼﾖｳﾖ ", $name, $suffix)],
        ]
    };
}

/// Employers (ｶ) 株式会社, ﾕ) 有限会社, ｲ) 医療法人), each in every union's form.
pub const EMPLOYERS: [[[&str; 2]; 4]; 4] = [
    employer!("ｶ)", "ｸﾗｼﾖｳｼﾞ", "(ｶ"),
    employer!("ｶ)", "ﾎｸｵｳﾃﾞﾝｷ", "(ｶ"),
    employer!("ﾕ)", "ｻｸﾗｹﾝｾﾂ", "(ﾕ"),
    employer!("ｲ)", "ﾔﾏﾉﾃｸﾘﾆﾂｸ", "(ｲ"),
];

/// Who is named in a transfer (振込) line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Party {
    /// The `demo` user, sending to their own account at another union.
    KuraTaro,
    KuraJiro,
    TanakaHanako,
    YamamotoKeiko,
    SatoYuki,
    SakuraFudosan,
    MinamiFudosan,
    MidoriShokai,
    YamatoShokai,
}

/// `ﾌﾘｺﾐ <name>`, `IB ﾌﾘｺﾐ <name>` (internet banking), `ｿｳｷﾝ <name>`, the name alone.
macro_rules! party {
    ($name:literal) => {
        [concat!("ﾌﾘｺﾐ ", $name), concat!("IB ﾌﾘｺﾐ ", $name), concat!("ｿｳｷﾝ ", $name), $name]
    };
}

/// Indexed by [`Party`].
const PARTIES: [[&str; 4]; 9] = [
    party!("ｸﾗ ﾀﾛｳ"),
    party!("ｸﾗ ｼﾞﾛｳ"),
    party!("ﾀﾅｶ ﾊﾅｺ"),
    party!("ﾔﾏﾓﾄ ｹｲｺ"),
    party!("ｻﾄｳ ﾕｳｷ"),
    party!("ｶ)ｻｸﾗﾌﾄﾞｳｻﾝ"),
    party!("ﾕ)ﾐﾅﾐﾌﾄﾞｳｻﾝ"),
    party!("ｶ)ﾐﾄﾞﾘｼﾖｳｶｲ"),
    party!("ｶ)ﾔﾏﾄｼﾖｳｶｲ"),
];

/// Private people a household sends money to: lines no starter rule can know.
pub const FRIENDS: [Party; 4] = [Party::KuraJiro, Party::TanakaHanako, Party::YamamotoKeiko, Party::SatoYuki];
/// Landlords paid by transfer.
pub const LANDLORDS: [Party; 2] = [Party::SakuraFudosan, Party::MinamiFudosan];

/// The union's own ATMs: (withdrawal, deposit).
const ATM: [[&str; 2]; 5] = [
    ["ATMｼﾊﾗｲ", "ATMﾆﾕｳｷﾝ"],
    ["ATM ｼﾊﾗｲ", "ATM ﾆﾕｳｷﾝ"],
    ["ATM", "ATM"],
    ["ｼﾊﾗｲ ATM", "ﾆﾕｳｷﾝ ATM"],
    ["CD ｼﾊﾗｲ", "ATM ﾆﾕｳｷﾝ"],
];

/// Partner ATMs by network: named, as "convenience store", as "partner".
const PARTNER_ATMS: [[Spelled; 3]; 4] = [
    [spelled!("ｾﾌﾞﾝｷﾞﾝｺｳATM"), spelled!("ｺﾝﾋﾞﾆATM"), spelled!("ﾃｲｹｲATM")],
    [spelled!("ﾕｳﾁﾖATM"), spelled!("ﾕｳﾁﾖATM"), spelled!("ﾃｲｹｲATM")],
    [spelled!("ｲｰﾈﾂﾄATM"), spelled!("ｺﾝﾋﾞﾆATM"), spelled!("ﾃｲｹｲATM")],
    [spelled!("ﾛｰｿﾝATM"), spelled!("ｺﾝﾋﾞﾆATM"), spelled!("ﾃｲｹｲATM")],
];
pub const ATM_NETWORKS: usize = PARTNER_ATMS.len();

/// `ﾃﾞﾋﾞﾂﾄ <shop>`, `Jﾃﾞﾋﾞﾂﾄ <shop>` (J-Debit), `VISAﾃﾞﾋﾞﾂﾄ <shop>`.
macro_rules! debit {
    ($shop:literal) => {
        [concat!("ﾃﾞﾋﾞﾂﾄ ", $shop), concat!("Jﾃﾞﾋﾞﾂﾄ ", $shop), concat!("VISAﾃﾞﾋﾞﾂﾄ ", $shop)]
    };
}

/// Debit-card purchases; the online shop last, since J-Debit works only in shops.
const DEBIT: [[&str; 3]; 5] = [debit!("ｲｵﾝ"), debit!("ｾﾌﾞﾝｲﾚﾌﾞﾝ"), debit!("ﾏﾂﾓﾄｷﾖｼ"), debit!("ﾕﾆｸﾛ"), debit!("AMAZON")];
const J_DEBIT: usize = 1;

const WATER: [&str; 4] = ["ｽｲﾄﾞｳﾘﾖｳｷﾝ", "ｽｲﾄﾞｳｷﾖｸ", "ｼﾞﾖｳｹﾞｽｲﾄﾞｳ", "ｽｲﾄﾞｳﾀﾞｲ"];
const NHK: [&str; 4] = ["NHK ｼﾞﾕｼﾝﾘﾖｳ", "NHKｼﾞﾕｼﾝﾘﾖｳ", "ﾆﾂﾎﾟﾝﾎｳｿｳｷﾖｳｶｲ", "NHK"];
/// Mobile carriers, two ways each.
const MOBILE: [[&str; 2]; 4] =
    [["NTTﾄﾞｺﾓ", "ﾄﾞｺﾓ"], ["KDDI", "AU ﾂｳﾜﾘﾖｳ"], ["ｿﾌﾄﾊﾞﾝｸM", "ｿﾌﾄﾊﾞﾝｸ"], ["ﾗｸﾃﾝﾓﾊﾞｲﾙ", "ﾗｸﾃﾝﾓﾊﾞｲﾙ(ｶ"]];
pub const CARRIERS: usize = MOBILE.len();
const PENSION: [&str; 4] = ["ﾈﾝｷﾝ", "ｺｳｾｲﾈﾝｷﾝ", "ｺｸﾐﾝﾈﾝｷﾝ", "ﾈﾝｷﾝｷｺｳ"];
/// The 国民年金 premium a self-employed member pays.
const PREMIUM: [&str; 3] = ["ｺｸﾐﾝﾈﾝｷﾝ", "ｺｸﾐﾝﾈﾝｷﾝ ﾎｹﾝﾘﾖｳ", "ｺｸﾈﾝﾎｹﾝﾘﾖｳ"];
const HEALTH: [&str; 3] = ["ｺｸﾐﾝｹﾝｺｳﾎｹﾝ", "ｺｸﾎｾﾞｲ", "ｺｸﾎ ﾎｹﾝﾘﾖｳ"];
const RESIDENCE_TAX: [&str; 3] = ["ｼﾞﾕｳﾐﾝｾﾞｲ", "ｼｹﾝﾐﾝｾﾞｲ", "ｼﾞﾕｳﾐﾝｾﾞｲ ﾌﾂｳﾁﾖｳｼﾕｳ"];
const CAR_TAX: [&str; 2] = ["ｼﾞﾄﾞｳｼﾔｾﾞｲ", "ｼﾞﾄﾞｳｼﾔｾﾞｲ ｼﾕﾍﾞﾂﾜﾘ"];
const INTEREST: [&str; 3] = ["ﾘｿｸ", "ｹﾂｻﾝﾘｿｸ", "ﾘｿｸｷﾝ"];
/// (transfer fee, partner-ATM fee).
const FEES: [[&str; 2]; 3] = [["ﾌﾘｺﾐﾃｽｳﾘﾖｳ", "ATMﾃｽｳﾘﾖｳ"], ["ﾃｽｳﾘﾖｳ", "ﾃｽｳﾘﾖｳ"], ["ﾌﾘｺﾐ ﾃｽｳﾘﾖｳ", "ATM ﾃｽｳﾘﾖｳ"]];
/// Transfers between one owner's accounts at one union: (in the 普通, in the 貯蓄).
const OWN: [[&str; 2]; 2] = [["ﾌﾘｶｴ", "ﾌﾘｶｴ"], ["ﾌﾘｶｴ ﾁﾖﾁｸ", "ﾌﾘｶｴ ﾌﾂｳ"]];
/// The union's own loans: (car, home).
const LOANS: [[Spelled; 2]; 3] = [
    [spelled!("ｼﾞﾄﾞｳｼﾔﾛｰﾝ"), spelled!("ｼﾞﾕｳﾀｸﾛｰﾝ")],
    [spelled!("ﾏｲｶｰﾛｰﾝ"), spelled!("ﾏｲﾎｰﾑﾛｰﾝ")],
    [spelled!("ﾛｰﾝﾍﾝｻｲ"), spelled!("ﾛｰﾝﾍﾝｻｲ")],
];
/// School lunches and fees collected by the school.
const SCHOOL: [&str; 3] = ["ｷﾕｳｼﾖｸﾋ", "ｶﾞｸﾋ", "ｶﾞﾂｺｳﾋ"];

pub const INSURERS: [&str; 4] = ["ﾆﾂﾎﾟﾝｾｲﾒｲ", "ｽﾐﾄﾓｾｲﾒｲ", "ﾀﾞｲｲﾁｾｲﾒｲ", "ｺｸﾐﾝｷﾖｳｻｲ"];
const ISPS: [Spelled; 4] = [spelled!("OCN"), spelled!("ﾋﾞﾂｸﾞﾛｰﾌﾞ"), spelled!("ｿﾆｰﾈﾂﾄﾜｰｸ"), spelled!("ﾌﾚﾂﾂﾋｶﾘ")];
pub const ISP_COUNT: usize = ISPS.len();
pub const NEWSPAPERS: [&str; 4] = ["ｼﾝﾌﾞﾝﾀﾞｲ", "ﾖﾐｳﾘｼﾝﾌﾞﾝ", "ｱｻﾋｼﾝﾌﾞﾝ", "ﾏｲﾆﾁｼﾝﾌﾞﾝ"];
/// Collection agencies (収納代行) debiting for some subscription: the remark names the agency,
/// not what is paid for, so no starter rule can tell what it is.
const COLLECTORS: [Spelled; 3] = [spelled!("SMBCﾌｱｲﾅﾝｽｻｰﾋﾞｽ"), spelled!("ﾐﾂﾋﾞｼUFJﾌｱｸﾀｰ"), spelled!("ﾘｿﾅｼﾕｳﾉｳﾀﾞｲｺｳ")];
pub const COLLECTOR_COUNT: usize = COLLECTORS.len();
/// One-off payments a household makes now and then (町内会費, 同窓会費, 寄付金).
pub const ODD_PAYMENTS: [&str; 3] = ["ﾁﾖｳﾅｲｶｲﾋ", "ﾄﾞｳｿｳｶｲﾋ", "ｷﾌｷﾝ"];

pub const OPENING: &str = "ｼﾝｷ";
pub const FIXED_ASSET_TAX: &str = "ｺﾃｲｼｻﾝｾﾞｲ";
/// Rent collected by direct debit (through a rent guarantor) rather than paid by transfer.
pub const RENT_DEBIT: &str = "ﾔﾁﾝ";
/// A 当座's lines: bills (手形), cheques (小切手), bulk payments (総合振込).
pub const BILL: &str = "ﾃｶﾞﾀ";
pub const CHEQUE: &str = "ｺｷﾞﾂﾃ";
pub const BULK_TRANSFER: &str = "ｿｳｺﾞｳﾌﾘｺﾐ";

/// The utilities of the region a union serves. The federation's codes run north to south, so a
/// region is the range of codes from `from` to the next region's.
#[derive(Debug)]
struct Region {
    from: u16,
    /// The power company, in full and as banks shorten it.
    power: [&'static str; 2],
    gas: &'static str,
    /// NTT East or West.
    ntt: &'static str,
}

const EAST: &str = "NTTﾋｶﾞｼﾆﾎﾝ";
const WEST: &str = "NTTﾆｼﾆﾎﾝ";
const TEPCO: [&str; 2] = ["ﾄｳｷﾖｳﾃﾞﾝﾘﾖｸ", "ﾄｳﾃﾞﾝ"];
const TOHOKU: [&str; 2] = ["ﾄｳﾎｸﾃﾞﾝﾘﾖｸ", "ﾄｳﾎｸﾃﾞﾝ"];
const CHUBU: [&str; 2] = ["ﾁﾕｳﾌﾞﾃﾞﾝﾘﾖｸ", "ﾁﾕｳﾃﾞﾝ"];

const REGIONS: [Region; 12] = [
    Region {
        from: 0, power: ["ﾎﾂｶｲﾄﾞｳﾃﾞﾝﾘﾖｸ", "ﾎｸﾃﾞﾝ"], gas: "ﾎｸｶﾞｽ", ntt: EAST
    },
    Region { from: 2030, power: TOHOKU, gas: "ｾﾝﾀﾞｲｼｶﾞｽｷﾖｸ", ntt: EAST },
    Region { from: 2100, power: TEPCO, gas: "ﾄｳｷﾖｳｶﾞｽ", ntt: EAST },
    Region { from: 2350, power: TOHOKU, gas: "ﾎｸﾘｸｶﾞｽ", ntt: EAST },
    Region { from: 2370, power: TEPCO, gas: "ﾄｳｷﾖｳｶﾞｽ", ntt: EAST },
    Region { from: 2390, power: CHUBU, gas: "ﾅｶﾞﾉﾄｼｶﾞｽ", ntt: EAST },
    Region {
        from: 2400, power: ["ﾎｸﾘｸﾃﾞﾝﾘﾖｸ", "ﾎｸﾘｸﾃﾞﾝ"], gas: "ﾆﾎﾝｶｲｶﾞｽ", ntt: WEST
    },
    Region { from: 2420, power: CHUBU, gas: "ﾄｳﾎｳｶﾞｽ", ntt: WEST },
    Region {
        from: 2500, power: ["ｶﾝｻｲﾃﾞﾝﾘﾖｸ", "ｶﾝﾃﾞﾝ"], gas: "ｵｵｻｶｶﾞｽ", ntt: WEST
    },
    Region {
        from: 2660, power: ["ﾁﾕｳｺﾞｸﾃﾞﾝﾘﾖｸ", "ﾁﾕｳｺﾞｸﾃﾞﾝ"], gas: "ﾋﾛｼﾏｶﾞｽ", ntt: WEST
    },
    Region {
        from: 2700, power: ["ｼｺｸﾃﾞﾝﾘﾖｸ", "ﾖﾝﾃﾞﾝ"], gas: "ｼｺｸｶﾞｽ", ntt: WEST
    },
    Region {
        from: 2760, power: ["ｷﾕｳｼﾕｳﾃﾞﾝﾘﾖｸ", "ｷﾕｳﾃﾞﾝ"], gas: "ｻｲﾌﾞｶﾞｽ", ntt: WEST
    },
];

/// Which form a union uses for each kind of line (indices into the tables above, or into the
/// alternatives a method lists).
#[derive(Debug, Clone, Copy)]
struct Forms {
    /// 0: the long vowel as ｰ, 1: as `-`.
    dash: usize,
    /// ﾃﾞﾝｷﾘﾖｳｷﾝ, ﾃﾞﾝﾘﾖｸ, the regional company, its short name.
    electricity: usize,
    /// ｶﾞｽﾘﾖｳｷﾝ, ｶﾞｽﾀﾞｲ, the regional company.
    gas: usize,
    water: usize,
    nhk: usize,
    /// ﾃﾞﾝﾜﾘﾖｳ, NTTﾃﾞﾝﾜﾘﾖｳ, NTT East or West.
    phone: usize,
    mobile: usize,
    atm: usize,
    partner_atm: usize,
    card: usize,
    debit: usize,
    salary: usize,
    pension: usize,
    premium: usize,
    health: usize,
    residence_tax: usize,
    car_tax: usize,
    interest: usize,
    fees: usize,
    /// Column of [`PARTIES`] for money received: `ﾌﾘｺﾐ <name>` or the name alone.
    transfer_in: usize,
    /// Column of [`PARTIES`] for money sent: `ﾌﾘｺﾐ`, `IB ﾌﾘｺﾐ` or `ｿｳｷﾝ` and the name.
    transfer_out: usize,
    own: usize,
    loan: usize,
    school: usize,
}

/// The plainest dialect, printed by 2011 北央: the remarks the walkthroughs and tests search for
/// (ﾃﾞﾝｷﾘﾖｳｷﾝ, ATMｼﾊﾗｲ, ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ, ｷﾕｳﾖ ｶ)ｸﾗｼﾖｳｼﾞ, ...).
const PLAIN: Forms = Forms {
    dash: 0,
    electricity: 0,
    gas: 0,
    water: 0,
    nhk: 0,
    phone: 0,
    mobile: 0,
    atm: 0,
    partner_atm: 0,
    card: 0,
    debit: 0,
    salary: 0,
    pension: 0,
    premium: 0,
    health: 0,
    residence_tax: 0,
    car_tax: 0,
    interest: 0,
    fees: 0,
    transfer_in: 0,
    transfer_out: 0,
    own: 0,
    loan: 0,
    school: 0,
};

/// 2254 第一勧業 (Tokyo): company names, the zengin hyphen, internet-banking transfers.
const TOKYO: Forms = Forms {
    dash: 1,
    electricity: 2,
    gas: 2,
    water: 1,
    nhk: 1,
    phone: 2,
    mobile: 1,
    atm: 1,
    partner_atm: 0,
    card: 1,
    debit: 2,
    salary: 3,
    pension: 1,
    premium: 1,
    health: 0,
    residence_tax: 1,
    car_tax: 1,
    interest: 1,
    fees: 2,
    transfer_in: 3,
    transfer_out: 1,
    own: 1,
    loan: 1,
    school: 1,
};

/// 2680 広島市: short company names, terse ATM lines. Its pensions print as ﾈﾝｷﾝ.
const HIROSHIMA: Forms = Forms {
    dash: 0,
    electricity: 3,
    gas: 0,
    water: 2,
    nhk: 2,
    phone: 0,
    mobile: 0,
    atm: 2,
    partner_atm: 1,
    card: 2,
    debit: 1,
    salary: 2,
    pension: 0,
    premium: 2,
    health: 1,
    residence_tax: 2,
    car_tax: 0,
    interest: 2,
    fees: 1,
    transfer_in: 0,
    transfer_out: 2,
    own: 0,
    loan: 2,
    school: 2,
};

impl Forms {
    fn drawn(h: u64) -> Self {
        let mut salt = 0;
        let mut pick = |n: usize| {
            salt += 1;
            (mix(h, salt) % n as u64) as usize
        };
        Forms {
            dash: pick(2),
            electricity: pick(4),
            gas: pick(3),
            water: pick(WATER.len()),
            nhk: pick(NHK.len()),
            phone: pick(3),
            mobile: pick(MOBILE[0].len()),
            atm: pick(ATM.len()),
            partner_atm: pick(PARTNER_ATMS[0].len()),
            card: pick(ISSUERS[0].forms.len()),
            debit: pick(DEBIT[0].len()),
            salary: pick(EMPLOYERS[0].len()),
            pension: pick(PENSION.len()),
            premium: pick(PREMIUM.len()),
            health: pick(HEALTH.len()),
            residence_tax: pick(RESIDENCE_TAX.len()),
            car_tax: pick(CAR_TAX.len()),
            interest: pick(INTEREST.len()),
            fees: pick(FEES.len()),
            transfer_in: [0, 3][pick(2)],
            transfer_out: pick(3),
            own: pick(OWN.len()),
            loan: pick(LOANS.len()),
            school: pick(SCHOOL.len()),
        }
    }
}

/// How one union prints its remarks.
#[derive(Debug, Clone, Copy)]
pub struct Dialect {
    region: &'static Region,
    forms: Forms,
}

impl Dialect {
    /// The dialect of union `bank_code`; the featured unions' are fixed, the others' drawn
    /// from the seed.
    pub fn of(seed: u64, bank_code: &str) -> Self {
        let code: u16 = bank_code.parse().unwrap_or(0);
        let region = REGIONS.iter().rev().find(|r| r.from <= code).unwrap_or(&REGIONS[0]);
        let forms = match bank_code {
            "2011" => PLAIN,
            "2254" => TOKYO,
            "2680" => HIROSHIMA,
            _ => Forms::drawn(mix(mix(seed, hash_str(bank_code)), 0x4449_414C)),
        };
        Dialect { region, forms }
    }

    fn spell(&self, s: &Spelled) -> &'static str {
        s[self.forms.dash]
    }

    pub fn electricity(&self) -> &'static str {
        ["ﾃﾞﾝｷﾘﾖｳｷﾝ", "ﾃﾞﾝﾘﾖｸ", self.region.power[0], self.region.power[1]][self.forms.electricity]
    }

    pub fn gas(&self) -> &'static str {
        ["ｶﾞｽﾘﾖｳｷﾝ", "ｶﾞｽﾀﾞｲ", self.region.gas][self.forms.gas]
    }

    pub fn water(&self) -> &'static str {
        WATER[self.forms.water]
    }

    pub fn nhk(&self) -> &'static str {
        NHK[self.forms.nhk]
    }

    /// The fixed-line telephone.
    pub fn phone(&self) -> &'static str {
        ["ﾃﾞﾝﾜﾘﾖｳ", "NTTﾃﾞﾝﾜﾘﾖｳ", self.region.ntt][self.forms.phone]
    }

    pub fn mobile(&self, carrier: usize) -> &'static str {
        MOBILE[carrier][self.forms.mobile]
    }

    pub fn atm_withdrawal(&self) -> &'static str {
        ATM[self.forms.atm][0]
    }

    pub fn atm_deposit(&self) -> &'static str {
        ATM[self.forms.atm][1]
    }

    pub fn partner_atm(&self, network: usize) -> &'static str {
        self.spell(&PARTNER_ATMS[network][self.forms.partner_atm])
    }

    pub fn card(&self, issuer: usize) -> &'static str {
        self.spell(&ISSUERS[issuer].forms[self.forms.card])
    }

    /// A debit-card purchase at a shop picked by `pick` (any number).
    pub fn debit(&self, pick: usize) -> &'static str {
        let shops = if self.forms.debit == J_DEBIT { &DEBIT[..DEBIT.len() - 1] } else { &DEBIT[..] };
        shops[pick % shops.len()][self.forms.debit]
    }

    /// (salary, bonus) from `employer`.
    pub fn salary(&self, employer: usize) -> (&'static str, &'static str) {
        let [pay, bonus] = EMPLOYERS[employer][self.forms.salary];
        (pay, bonus)
    }

    pub fn pension(&self) -> &'static str {
        PENSION[self.forms.pension]
    }

    pub fn pension_premium(&self) -> &'static str {
        PREMIUM[self.forms.premium]
    }

    pub fn health_insurance(&self) -> &'static str {
        HEALTH[self.forms.health]
    }

    pub fn residence_tax(&self) -> &'static str {
        RESIDENCE_TAX[self.forms.residence_tax]
    }

    pub fn car_tax(&self) -> &'static str {
        CAR_TAX[self.forms.car_tax]
    }

    pub fn interest(&self) -> &'static str {
        INTEREST[self.forms.interest]
    }

    pub fn transfer_fee(&self) -> &'static str {
        FEES[self.forms.fees][0]
    }

    pub fn atm_fee(&self) -> &'static str {
        FEES[self.forms.fees][1]
    }

    pub fn transfer_in(&self, from: Party) -> &'static str {
        PARTIES[from as usize][self.forms.transfer_in]
    }

    pub fn transfer_out(&self, to: Party) -> &'static str {
        PARTIES[to as usize][self.forms.transfer_out]
    }

    /// A transfer to or from the owner's 貯蓄, as the 普通 prints it.
    pub fn with_savings(&self) -> &'static str {
        OWN[self.forms.own][0]
    }

    /// A transfer to or from the owner's 普通, as the 貯蓄 prints it.
    pub fn with_ordinary(&self) -> &'static str {
        OWN[self.forms.own][1]
    }

    pub fn car_loan(&self) -> &'static str {
        self.spell(&LOANS[self.forms.loan][0])
    }

    pub fn home_loan(&self) -> &'static str {
        self.spell(&LOANS[self.forms.loan][1])
    }

    pub fn school(&self) -> &'static str {
        SCHOOL[self.forms.school]
    }

    pub fn isp(&self, isp: usize) -> &'static str {
        self.spell(&ISPS[isp])
    }

    pub fn collector(&self, collector: usize) -> &'static str {
        self.spell(&COLLECTORS[collector])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphenated_spellings_replace_only_the_long_vowel() {
        assert_eq!(spelled!("ｶｰﾄﾞ ﾗｸﾃﾝｶｰﾄﾞ"), ["ｶｰﾄﾞ ﾗｸﾃﾝｶｰﾄﾞ", "ｶ-ﾄﾞ ﾗｸﾃﾝｶ-ﾄﾞ"]);
        assert_eq!(spelled!("ATM"), ["ATM", "ATM"]);
        let hyphen = Dialect::of(0, "2254");
        assert_eq!(hyphen.card(0), "ﾐﾂｲｽﾐﾄﾓｶ-ﾄﾞ(ｶ");
        assert_eq!(Dialect::of(0, "2011").card(0), "ｶｰﾄﾞ ﾐﾂｲｽﾐﾄﾓｶｰﾄﾞ");
    }

    #[test]
    fn regions_follow_the_codes() {
        assert_eq!(Dialect::of(0, "2254").electricity(), "ﾄｳｷﾖｳﾃﾞﾝﾘﾖｸ");
        assert_eq!(Dialect::of(0, "2680").electricity(), "ﾁﾕｳｺﾞｸﾃﾞﾝ");
        let regions: Vec<u16> = REGIONS.iter().map(|r| r.from).collect();
        assert!(regions.is_sorted());
        let kansai = Dialect { region: &REGIONS[8], forms: Forms { electricity: 3, gas: 2, ..PLAIN } };
        assert_eq!((kansai.electricity(), kansai.gas()), ("ｶﾝﾃﾞﾝ", "ｵｵｻｶｶﾞｽ"));
    }
}
