//! The 95 credit unions that consent to the federation's Open API (as of 2024-03-08), shipped
//! with the app so the union picker works offline.

use std::sync::LazyLock;

use serde::Serialize;

use crate::text::fold;

/// One member credit union of the federation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Institution {
    /// 4-digit financial institution code (金融機関コード).
    pub code: String,
    pub name: String,
    /// Hiragana reading of `name`, for search.
    pub reading: String,
}

static ALL: LazyLock<Vec<Institution>> = LazyLock::new(|| {
    let mut reader = csv::Reader::from_reader(include_str!("../data/institutions.csv").as_bytes());
    reader
        .records()
        .map(|record| {
            // The file is part of the source tree and checked by the tests below.
            let record = record.expect("data/institutions.csv is well-formed");
            Institution { code: record[0].into(), name: record[1].into(), reading: record[2].into() }
        })
        .collect()
});

/// All consenting unions, ordered by code.
pub fn all() -> &'static [Institution] {
    &ALL
}

/// The union with this 4-digit code, if it consents to the Open API.
pub fn by_code(code: &str) -> Option<&'static Institution> {
    ALL.iter().find(|i| i.code == code)
}

/// The name a union is shown by (`北央信用組合`), or its bare code when it is not (or no longer)
/// in the list. How a sentence mentions it (with its code or without) is the message's matter.
pub fn name_of(code: &str) -> String {
    by_code(code).map_or_else(|| code.to_owned(), |i| i.name.clone())
}

/// Unions whose code starts with `query`, or whose name or reading contains it (kana- and
/// width-insensitive: "ﾎｸｵｳ", "ほくおう" and "北央" all find 北央信用組合).
pub fn search(query: &str) -> Vec<&'static Institution> {
    let q = fold(query.trim());
    if q.is_empty() {
        return ALL.iter().collect();
    }
    ALL.iter()
        .filter(|i| i.code.starts_with(&q) || fold(&i.name).contains(&q) || fold(&i.reading).contains(&q))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ships_all_95_unions_with_unique_codes_and_readings() {
        assert_eq!(all().len(), 95);
        let mut codes: Vec<_> = all().iter().map(|i| i.code.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 95, "codes are sorted and unique");
        for i in all() {
            assert!(i.code.len() == 4 && i.code.chars().all(|c| c.is_ascii_digit()), "{i:?}");
            assert!(i.name.contains("信用組合"), "{i:?}");
            assert!(i.reading.chars().all(|c| ('ぁ'..='ゖ').contains(&c) || c == 'ー'), "{i:?}");
        }
    }

    #[test]
    fn finds_by_code_name_and_reading() {
        assert_eq!(by_code("2011").unwrap().name, "北央信用組合");
        assert!(by_code("9999").is_none());
        let names = |q| search(q).iter().map(|i| i.code.as_str()).collect::<Vec<_>>();
        assert_eq!(names("2011"), ["2011"]);
        assert_eq!(names("北央"), ["2011"]);
        assert_eq!(names("ほくおう"), ["2011"]);
        assert_eq!(names("ﾎｸｵｳ"), ["2011"]);
        assert!(names("ひょうご").len() >= 4);
    }
}
