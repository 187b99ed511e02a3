//! How Kura writes yen, dates and times for people (CLI, UI, exports share these).

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// Japan Standard Time (no daylight saving).
pub fn jst() -> FixedOffset {
    FixedOffset::east_opt(9 * 3600).expect("+09:00 is a valid offset")
}

/// The JST calendar date of an instant.
pub fn jst_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&jst()).date_naive()
}

fn group_thousands(mut n: u64) -> String {
    let mut groups = Vec::new();
    loop {
        if n < 1000 {
            groups.push(n.to_string());
            break;
        }
        groups.push(format!("{:03}", n % 1000));
        n /= 1000;
    }
    groups.reverse();
    groups.join(",")
}

/// `¥1,234,567`; negative amounts as `-¥1,234`.
pub fn yen(amount: i64) -> String {
    let sign = if amount < 0 { "-" } else { "" };
    format!("{sign}¥{}", group_thousands(amount.unsigned_abs()))
}

/// Like [`yen`] but always signed, for movements: `+¥250,000`, `-¥10,000`, `¥0`.
pub fn signed_yen(amount: i64) -> String {
    if amount > 0 { format!("+{}", yen(amount)) } else { yen(amount) }
}

/// `2026/11/24`, the way Japanese statements write dates.
pub fn date(d: NaiveDate) -> String {
    d.format("%Y/%m/%d").to_string()
}

/// An instant as JST wall-clock time: `2026/11/24 10:15`.
pub fn jst_datetime(at: DateTime<Utc>) -> String {
    at.with_timezone(&jst()).format("%Y/%m/%d %H:%M").to_string()
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn yen_groups_thousands_and_keeps_the_sign() {
        assert_eq!(yen(0), "¥0");
        assert_eq!(yen(999), "¥999");
        assert_eq!(yen(1000), "¥1,000");
        assert_eq!(yen(1_234_567), "¥1,234,567");
        assert_eq!(yen(-1_234), "-¥1,234");
        assert_eq!(yen(i64::MIN), "-¥9,223,372,036,854,775,808");
        assert_eq!(signed_yen(250_000), "+¥250,000");
        assert_eq!(signed_yen(-10_000), "-¥10,000");
        assert_eq!(signed_yen(0), "¥0");
    }

    #[test]
    fn dates_and_times_are_japanese_style_in_jst() {
        assert_eq!(date(NaiveDate::from_ymd_opt(2026, 1, 5).unwrap()), "2026/01/05");
        let at = Utc.with_ymd_and_hms(2026, 11, 24, 16, 30, 0).unwrap();
        assert_eq!(jst_datetime(at), "2026/11/25 01:30");
        assert_eq!(jst_date(at), NaiveDate::from_ymd_opt(2026, 11, 25).unwrap());
    }
}
