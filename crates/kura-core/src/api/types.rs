//! The API's resources as Kura uses them, parsed strictly from the wire: amounts become `i64`
//! yen, JST dates and times become dates plus UTC instants. Every rejection names the field and,
//! for transaction lines, the item.

use std::borrow::Cow;

use chrono::{DateTime, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value};

use crate::format::jst;
use crate::model::{AccountIdentity, AsOf, BalanceReading, RemoteAccount, Transaction};

/// The accounts the user consented to share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountList {
    pub accounts: Vec<RemoteAccount>,
    pub as_of: AsOf,
}

/// One page of transaction history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransactionPage {
    pub account_id: String,
    pub date_from: NaiveDate,
    pub date_to: NaiveDate,
    pub as_of: AsOf,
    pub transactions: Vec<Transaction>,
    /// The key of the next page; `None` on the last page.
    pub next_item_key: Option<String>,
}

/// What is wrong with one value of a response. The messages quote the value the bank sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ValueError {
    #[error("missing")]
    Missing,
    #[error("expected {expected}, got {got}")]
    WrongType { expected: &'static str, got: String },
    #[error("{0:?} is not a whole number of yen (expected digits with an optional leading minus)")]
    NotWholeYen(String),
    #[error("{0:?} is out of range for an amount of yen")]
    AmountOutOfRange(String),
    #[error("{0} is negative; amounts are magnitudes and transactionType gives the direction")]
    NegativeMagnitude(i64),
    #[error("{0:?} is neither \"1\" (入金, credit) nor \"2\" (出金, debit)")]
    UnknownTransactionType(String),
    #[error("{0:?} is not a date of the form YYYY-MM-DD")]
    DateShape(String),
    #[error("{0:?} is not a valid calendar date")]
    NoSuchDate(String),
    #[error("{0:?} is not a time of the form HH:MM:SS+09:00")]
    TimeShape(String),
    #[error("{0:?} is not in JST (+09:00)")]
    NotJst(String),
    #[error("{0:?} is not a valid time")]
    NoSuchTime(String),
    #[error("{0:?}: Kura handles yen (JPY) accounts only")]
    NotYen(String),
    #[error("{0:?} is not a usable account id")]
    UnusableAccountId(String),
    #[error("the bank answered for {got:?} instead of {asked:?}")]
    OtherAccount { got: String, asked: String },
    #[error("missing although hasNext is true")]
    MissingNextKey,
    #[error("{date} is outside the requested {from}..{to}")]
    OutsideWindow { date: NaiveDate, from: NaiveDate, to: NaiveDate },
}

/// A refused value and the field it came in: the path in the body (`transactions[3].amount`,
/// with the line's item key when it has one) and what is wrong with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: String,
    pub problem: ValueError,
}

type Parsed<T> = Result<T, FieldError>;

fn err<T>(field: impl Into<String>, problem: ValueError) -> Parsed<T> {
    Err(FieldError { field: field.into(), problem })
}

fn wrong_type(expected: &'static str, v: &Value) -> ValueError {
    ValueError::WrongType { expected, got: describe(v) }
}

fn describe(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 40 { format!("{}…", s.chars().take(40).collect::<String>()) } else { s }
}

struct Obj<'a> {
    map: &'a Map<String, Value>,
    path: String,
}

impl<'a> Obj<'a> {
    fn new(v: &'a Value, path: impl Into<String>) -> Parsed<Self> {
        let path = path.into();
        match v.as_object() {
            Some(map) => Ok(Obj { map, path }),
            None => err(if path.is_empty() { "(body)".to_owned() } else { path }, wrong_type("an object", v)),
        }
    }

    fn field(&self, name: &str) -> String {
        if self.path.is_empty() { name.to_owned() } else { format!("{}.{name}", self.path) }
    }

    fn opt(&self, name: &str) -> Option<&'a Value> {
        self.map.get(name).filter(|v| !v.is_null())
    }

    fn str(&self, name: &str) -> Parsed<&'a str> {
        match self.opt(name) {
            Some(Value::String(s)) => Ok(s),
            Some(v) => err(self.field(name), wrong_type("a string", v)),
            None => err(self.field(name), ValueError::Missing),
        }
    }

    fn opt_str(&self, name: &str) -> Parsed<Option<&'a str>> {
        match self.opt(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s)),
            Some(v) => err(self.field(name), wrong_type("a string", v)),
        }
    }

    fn string(&self, name: &str) -> Parsed<String> {
        self.str(name).map(str::to_owned)
    }

    fn amount(&self, name: &str) -> Parsed<i64> {
        parse_amount(self.str(name)?).map_err(|problem| FieldError { field: self.field(name), problem })
    }

    fn date(&self, name: &str) -> Parsed<NaiveDate> {
        parse_date(self.str(name)?).map_err(|problem| FieldError { field: self.field(name), problem })
    }

    fn as_of(&self) -> Parsed<AsOf> {
        let date = self.date("baseDate")?;
        let time = self.str("baseTime")?;
        let at = parse_jst_time(date, time).map_err(|problem| FieldError { field: self.field("baseTime"), problem })?;
        Ok(AsOf { date, at })
    }

    fn array(&self, name: &str) -> Parsed<&'a Vec<Value>> {
        match self.opt(name) {
            Some(Value::Array(a)) => Ok(a),
            Some(v) => err(self.field(name), wrong_type("an array", v)),
            None => err(self.field(name), ValueError::Missing),
        }
    }
}

/// Parses a decimal string of integer yen ("-1200"): optional minus, digits only, no sign `+`,
/// no decimals, no separators, within `i64`.
pub fn parse_amount(s: &str) -> Result<i64, ValueError> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValueError::NotWholeYen(s.to_owned()));
    }
    s.parse::<i64>().map_err(|_| ValueError::AmountOutOfRange(s.to_owned()))
}

/// Parses a JST calendar date written exactly as `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<NaiveDate, ValueError> {
    let shaped = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| if i == 4 || i == 7 { b == b'-' } else { b.is_ascii_digit() });
    if !shaped {
        return Err(ValueError::DateShape(s.to_owned()));
    }
    let number = |range: std::ops::Range<usize>| s[range].parse::<u32>().expect("digits, by the shape check");
    i32::try_from(number(0..4))
        .ok()
        .and_then(|year| NaiveDate::from_ymd_opt(year, number(5..7), number(8..10)))
        .ok_or_else(|| ValueError::NoSuchDate(s.to_owned()))
}

/// Combines a JST date with a time `HH:MM:SS+09:00` into a UTC instant.
fn parse_jst_time(date: NaiveDate, s: &str) -> Result<DateTime<Utc>, ValueError> {
    let shape = || ValueError::TimeShape(s.to_owned());
    let (time, offset) = s.split_at_checked(8).ok_or_else(shape)?;
    let time = NaiveTime::parse_from_str(time, "%H:%M:%S").map_err(|_| shape())?;
    if offset != "+09:00" {
        return Err(ValueError::NotJst(s.to_owned()));
    }
    jst()
        .from_local_datetime(&date.and_time(time))
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ValueError::NoSuchTime(s.to_owned()))
}

pub(crate) fn account_list(body: &Value) -> Parsed<AccountList> {
    let root = Obj::new(body, "")?;
    let accounts = root
        .array("accounts")?
        .iter()
        .enumerate()
        .map(|(i, v)| account(&Obj::new(v, format!("accounts[{i}]"))?))
        .collect::<Parsed<Vec<_>>>()?;
    Ok(AccountList { accounts, as_of: root.as_of()? })
}

fn account(o: &Obj<'_>) -> Parsed<RemoteAccount> {
    let currency_code = o.opt_str("currencyCode")?.unwrap_or("JPY").to_owned();
    if currency_code != "JPY" {
        return err(o.field("currencyCode"), ValueError::NotYen(currency_code));
    }
    let account_id = o.string("accountId")?;
    if account_id.is_empty() || account_id.len() > 64 || account_id.contains(['/', '?', '#']) {
        return err(o.field("accountId"), ValueError::UnusableAccountId(account_id));
    }
    let identity = AccountIdentity {
        bank_code: o.string("bankCode")?,
        branch_code: o.string("branchCode")?,
        branch_name: o.string("branchName")?,
        account_type_code: o.string("accountTypeCode")?,
        account_type_name: o.string("accountTypeName")?,
        account_number: o.string("accountNumber")?,
        account_name_kana: o.opt_str("accountNameKana")?.unwrap_or_default().to_owned(),
    };
    Ok(RemoteAccount { account_id, identity, currency_code })
}

pub(crate) fn balance(body: &Value, account_id: &str) -> Parsed<BalanceReading> {
    let o = Obj::new(body, "")?;
    let id = o.string("accountId")?;
    if id != account_id {
        return err("accountId", ValueError::OtherAccount { got: id, asked: account_id.to_owned() });
    }
    if let Some(c) = o.opt_str("currencyCode")?.filter(|c| *c != "JPY") {
        return err("currencyCode", ValueError::NotYen(c.to_owned()));
    }
    Ok(BalanceReading {
        balance: o.amount("balance")?,
        withdrawable: o.amount("withdrawableAmount")?,
        as_of: o.as_of()?,
    })
}

pub(crate) fn transaction_page(body: &Value, account_id: &str) -> Parsed<TransactionPage> {
    let o = Obj::new(body, "")?;
    let id = o.string("accountId")?;
    if id != account_id {
        return err("accountId", ValueError::OtherAccount { got: id, asked: account_id.to_owned() });
    }
    let transactions = o
        .array("transactions")?
        .iter()
        .enumerate()
        .map(|(i, v)| transaction(&Obj::new(v, format!("transactions[{i}]"))?))
        .collect::<Parsed<Vec<_>>>()?;
    let has_next = match o.opt("hasNext") {
        Some(Value::Bool(b)) => *b,
        Some(v) => {
            return err("hasNext", wrong_type("true or false", v));
        }
        None => false,
    };
    let next_item_key = match (has_next, o.opt_str("nextItemKey")?) {
        (true, Some(k)) if !k.is_empty() => Some(k.to_owned()),
        (true, _) => return err("nextItemKey", ValueError::MissingNextKey),
        (false, _) => None,
    };
    Ok(TransactionPage {
        account_id: id,
        date_from: o.date("dateFrom")?,
        date_to: o.date("dateTo")?,
        as_of: o.as_of()?,
        transactions,
        next_item_key,
    })
}

/// A page of history as it arrives, fields borrowed from the body where JSON allows: read
/// straight into these, a line costs no map of its own. Anything this does not take as it
/// should (a wrong type, a missing field, a bad value) sends the page through [`transaction_page`],
/// which names what is wrong.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageBody<'a> {
    #[serde(borrow)]
    account_id: Cow<'a, str>,
    #[serde(borrow)]
    date_from: Cow<'a, str>,
    #[serde(borrow)]
    date_to: Cow<'a, str>,
    #[serde(borrow)]
    base_date: Cow<'a, str>,
    #[serde(borrow)]
    base_time: Cow<'a, str>,
    has_next: Option<bool>,
    #[serde(borrow)]
    next_item_key: Option<Cow<'a, str>>,
    #[serde(borrow)]
    transactions: Vec<LineBody<'a>>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct LineBody<'a> {
    #[serde(borrow)]
    transaction_date: Cow<'a, str>,
    #[serde(borrow)]
    value_date: Option<Cow<'a, str>>,
    #[serde(borrow)]
    transaction_type: Cow<'a, str>,
    #[serde(borrow)]
    amount: Cow<'a, str>,
    #[serde(borrow)]
    balance: Option<Cow<'a, str>>,
    #[serde(borrow)]
    remarks: Option<Cow<'a, str>>,
    #[serde(borrow)]
    item_key: Option<Cow<'a, str>>,
}

/// [`transaction_page`] for a well-formed body, without building a JSON tree; `None` when
/// anything is off (the full parse then says what).
pub(crate) fn transaction_page_fast(raw: &str, account_id: &str) -> Option<TransactionPage> {
    let body: PageBody<'_> = serde_json::from_str(raw).ok()?;
    if body.account_id != account_id {
        return None;
    }
    let next_item_key = match (body.has_next.unwrap_or(false), body.next_item_key) {
        (true, Some(k)) if !k.is_empty() => Some(k.into_owned()),
        (true, _) => return None,
        (false, _) => None,
    };
    let base_date = parse_date(&body.base_date).ok()?;
    let transactions = body
        .transactions
        .into_iter()
        .map(|l| {
            let magnitude = parse_amount(&l.amount).ok().filter(|m| *m >= 0)?;
            let amount = match &*l.transaction_type {
                "1" => magnitude,
                "2" => -magnitude,
                _ => return None,
            };
            Some(Transaction {
                transaction_date: parse_date(&l.transaction_date).ok()?,
                value_date: l.value_date.map(|d| parse_date(&d).ok()).map_or(Some(None), |d| d.map(Some))?,
                amount,
                balance: l.balance.map(|b| parse_amount(&b).ok()).map_or(Some(None), |b| b.map(Some))?,
                remarks: l.remarks.map(Cow::into_owned).unwrap_or_default(),
                item_key: l.item_key.map(Cow::into_owned),
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(TransactionPage {
        account_id: body.account_id.into_owned(),
        date_from: parse_date(&body.date_from).ok()?,
        date_to: parse_date(&body.date_to).ok()?,
        as_of: AsOf { date: base_date, at: parse_jst_time(base_date, &body.base_time).ok()? },
        transactions,
        next_item_key,
    })
}

fn transaction(o: &Obj<'_>) -> Parsed<Transaction> {
    // Name the line by its key too, so a report points at the bank's own record.
    let item_key = o.opt_str("itemKey")?.map(str::to_owned);
    let named = |e: FieldError| match &item_key {
        Some(k) => FieldError { field: format!("{} (itemKey {k})", e.field), problem: e.problem },
        None => e,
    };
    let magnitude = o.amount("amount").map_err(named)?;
    if magnitude < 0 {
        return Err(named(FieldError { field: o.field("amount"), problem: ValueError::NegativeMagnitude(magnitude) }));
    }
    let amount = match o.str("transactionType").map_err(named)? {
        "1" => magnitude,
        "2" => -magnitude,
        other => {
            return Err(named(FieldError {
                field: o.field("transactionType"),
                problem: ValueError::UnknownTransactionType(other.to_owned()),
            }));
        }
    };
    let value_date = match o.opt_str("valueDate").map_err(named)? {
        Some(s) => Some(parse_date(s).map_err(|problem| named(FieldError { field: o.field("valueDate"), problem }))?),
        None => None,
    };
    let balance = match o.opt("balance") {
        None => None,
        Some(_) => Some(o.amount("balance").map_err(named)?),
    };
    Ok(Transaction {
        transaction_date: o.date("transactionDate").map_err(named)?,
        value_date,
        amount,
        balance,
        remarks: o.opt_str("remarks").map_err(named)?.unwrap_or_default().to_owned(),
        item_key,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_page_parse_agrees_with_the_full_one_or_leaves_the_page_to_it() {
        let page = |lines: &str, extra: &str| {
            format!(
                r#"{{"accountId":"a1","currencyCode":"JPY","dateFrom":"2026-11-01","dateTo":"2026-11-24",
                    "baseDate":"2026-11-24","baseTime":"08:15:00+09:00","hasNext":true,"nextItemKey":"k9"{extra},
                    "transactions":[{lines}]}}"#
            )
        };
        let good = page(
            r#"{"transactionDate":"2026-11-02","valueDate":"2026-11-02","transactionType":"2","amount":"8000",
                "balance":"120000","remarks":"ﾃﾞﾝｷ\u30ea","itemKey":"k1"},
               {"transactionDate":"2026-11-03","valueDate":null,"transactionType":"1","amount":"0","unknown":[1]}"#,
            "",
        );
        let full = transaction_page(&serde_json::from_str(&good).unwrap(), "a1").unwrap();
        assert_eq!(transaction_page_fast(&good, "a1"), Some(full));
        for bad in [
            page(r#"{"transactionDate":"2026-11-02","transactionType":"2","amount":8000}"#, ""),
            page(r#"{"transactionDate":"2026-11-02","transactionType":"3","amount":"8000"}"#, ""),
            page(r#"{"transactionDate":"2026-11-02","transactionType":"2","amount":"-8000"}"#, ""),
            page(r#"{"transactionDate":"2026-2-30","transactionType":"2","amount":"8000"}"#, ""),
            page(r#"{"transactionType":"2","amount":"8000"}"#, ""),
            page("", r#","hasNext":false"#),
        ] {
            assert_eq!(transaction_page_fast(&bad, "a1"), None, "{bad}");
        }
        assert_eq!(transaction_page_fast(&good, "other"), None);
    }

    #[test]
    fn amounts_are_strict_integer_yen() {
        assert_eq!(parse_amount("250000"), Ok(250_000));
        assert_eq!(parse_amount("-1200"), Ok(-1_200));
        assert_eq!(parse_amount("0"), Ok(0));
        for bad in ["", "-", "+5", "1,000", "12.5", " 1", "1e3", "１２"] {
            assert!(parse_amount(bad).is_err(), "{bad:?} accepted");
        }
        assert_eq!(
            parse_amount("9223372036854775808"),
            Err(ValueError::AmountOutOfRange("9223372036854775808".into()))
        );
        assert_eq!(parse_amount("12.5"), Err(ValueError::NotWholeYen("12.5".into())));
        assert_eq!(parse_amount("-9223372036854775808"), Ok(i64::MIN));
    }

    #[test]
    fn dates_are_exact() {
        assert_eq!(parse_date("2026-11-24"), Ok(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()));
        for bad in ["2026-2-24", "20261124", "2026/11/24", "2026-11-24T00:00"] {
            assert_eq!(parse_date(bad), Err(ValueError::DateShape(bad.into())));
        }
        assert_eq!(parse_date("2026-02-30"), Err(ValueError::NoSuchDate("2026-02-30".into())));
    }

    #[test]
    fn jst_time_becomes_utc() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let t = parse_jst_time(d, "08:15:00+09:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-23T23:15:00+00:00");
        assert_eq!(parse_jst_time(d, "08:15:00Z"), Err(ValueError::NotJst("08:15:00Z".into())));
        assert_eq!(parse_jst_time(d, "25:00:00+09:00"), Err(ValueError::TimeShape("25:00:00+09:00".into())));
    }

    #[test]
    fn transaction_type_signs_the_amount_and_errors_name_the_item() {
        let body = serde_json::json!({
            "accountId": "a", "dateFrom": "2026-11-01", "dateTo": "2026-11-24", "baseDate": "2026-11-24",
            "baseTime": "10:00:00+09:00", "hasNext": false,
            "transactions": [
                {"transactionDate": "2026-11-20", "transactionType": "2", "amount": "500", "itemKey": "k1"},
                {"transactionDate": "2026-11-21", "transactionType": "1", "amount": "700"}
            ]
        });
        let page = transaction_page(&body, "a").unwrap();
        assert_eq!(page.transactions[0].amount, -500);
        assert_eq!(page.transactions[1].amount, 700);
        assert_eq!(page.transactions[1].item_key, None);

        let mut bad = body.clone();
        bad["transactions"][0]["amount"] = serde_json::json!(500);
        let e = transaction_page(&bad, "a").unwrap_err();
        assert_eq!(e.field, "transactions[0].amount (itemKey k1)");
        assert_eq!(e.problem, ValueError::WrongType { expected: "a string", got: "500".into() });
    }

    /// Each rejection names the field (and the line's item key), and says what the bank sent.
    #[test]
    fn overflowing_malformed_and_misdated_values_name_their_field() {
        let page = |line: serde_json::Value| {
            let body = serde_json::json!({
                "accountId": "a", "dateFrom": "2026-11-01", "dateTo": "2026-11-24", "baseDate": "2026-11-24",
                "baseTime": "10:00:00+09:00", "transactions": [line]
            });
            transaction_page(&body, "a").unwrap_err()
        };
        let e = page(serde_json::json!(
            {"transactionDate": "2026-11-20", "transactionType": "1", "amount": "9223372036854775808", "itemKey": "k9"}
        ));
        assert_eq!(e.field, "transactions[0].amount (itemKey k9)");
        assert_eq!(e.problem, ValueError::AmountOutOfRange("9223372036854775808".into()));
        assert_eq!(
            e.to_string(),
            "transactions[0].amount (itemKey k9): \"9223372036854775808\" is out of range for an amount of yen"
        );

        let e = page(serde_json::json!({"transactionDate": "2026-11-20", "transactionType": "2", "amount": "1,200"}));
        assert_eq!(e.field, "transactions[0].amount");
        assert_eq!(e.problem, ValueError::NotWholeYen("1,200".into()));

        let e = page(serde_json::json!({"transactionDate": "2026-11-20", "transactionType": "2", "amount": "-5"}));
        assert_eq!(e.problem, ValueError::NegativeMagnitude(-5));

        let e = page(serde_json::json!({"transactionDate": "2026-13-01", "transactionType": "1", "amount": "5"}));
        assert_eq!(e.field, "transactions[0].transactionDate");
        assert_eq!(e.problem, ValueError::NoSuchDate("2026-13-01".into()));

        let e = page(serde_json::json!(
            {"transactionDate": "2026-11-20", "valueDate": "11/20", "transactionType": "1", "amount": "5"}
        ));
        assert_eq!(e.field, "transactions[0].valueDate");
        assert_eq!(e.problem, ValueError::DateShape("11/20".into()));

        let balance = serde_json::json!({
            "accountId": "a", "balance": "100", "withdrawableAmount": "100", "baseDate": "2026-11-24",
            "baseTime": "10:00+09:00"
        });
        let e = super::balance(&balance, "a").unwrap_err();
        assert_eq!(e.field, "baseTime");
        assert_eq!(e.problem, ValueError::TimeShape("10:00+09:00".into()));
    }
}
