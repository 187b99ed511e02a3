//! The 95 member unions, read from the list kura-core ships (the sandbox must not depend on the
//! client's crates, so it reads the same file at compile time).

use std::sync::OnceLock;

#[derive(Debug, Clone, serde::Deserialize)]
pub struct Union {
    pub bank_code: String,
    pub name: String,
}

const CSV: &str = include_str!("../../../kura-core/data/institutions.csv");

/// All unions in the order of the federation's list (by code).
pub fn all() -> &'static [Union] {
    static UNIONS: OnceLock<Vec<Union>> = OnceLock::new();
    UNIONS.get_or_init(|| {
        csv::Reader::from_reader(CSV.as_bytes())
            .deserialize()
            .collect::<Result<Vec<Union>, _>>()
            .expect("institutions.csv is shipped with the source and parses")
    })
}

pub fn find(bank_code: &str) -> Option<&'static Union> {
    all().iter().find(|u| u.bank_code == bank_code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn ninety_five_unions_with_four_digit_codes() {
        let all = super::all();
        assert_eq!(all.len(), 95);
        assert!(all.iter().all(|u| u.bank_code.len() == 4 && u.bank_code.bytes().all(|b| b.is_ascii_digit())));
        assert_eq!(super::find("2011").unwrap().name, "北央信用組合");
    }
}
