//! The two read-only scopes of the federation's API.

use std::fmt;

/// A permission a client may ask for. The API is read-only (参照系): balance inquiry and
/// transaction-history inquiry, nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Balance,
    Transactions,
}

/// A scope string the server does not know, e.g. `payments`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown scope {0:?}: the sandbox grants only \"balance\" and \"transactions\"")]
pub struct UnknownScope(pub String);

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::Balance, Scope::Transactions];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Balance => "balance",
            Scope::Transactions => "transactions",
        }
    }

    /// What the user grants, as the consent page says it.
    pub fn label_ja(self) -> &'static str {
        match self {
            Scope::Balance => "残高照会",
            Scope::Transactions => "入出金明細照会",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Scope::Balance => "Balance inquiry",
            Scope::Transactions => "Transaction history inquiry",
        }
    }

    /// Parses an RFC 6749 §3.3 scope value (space-delimited, case-sensitive) into a sorted,
    /// duplicate-free list. An empty value is an error, not "everything".
    pub fn parse_list(value: &str) -> Result<Vec<Scope>, UnknownScope> {
        let mut scopes = Vec::new();
        for token in value.split(' ').filter(|t| !t.is_empty()) {
            let scope = match token {
                "balance" => Scope::Balance,
                "transactions" => Scope::Transactions,
                other => return Err(UnknownScope(other.to_owned())),
            };
            scopes.push(scope);
        }
        if scopes.is_empty() {
            return Err(UnknownScope(value.to_owned()));
        }
        scopes.sort();
        scopes.dedup();
        Ok(scopes)
    }

    /// The space-delimited form used in token responses.
    pub fn join(scopes: &[Scope]) -> String {
        scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_sorts_and_dedupes() {
        assert_eq!(
            Scope::parse_list("transactions balance transactions").unwrap(),
            vec![Scope::Balance, Scope::Transactions]
        );
        assert_eq!(Scope::parse_list("balance").unwrap(), vec![Scope::Balance]);
    }

    #[test]
    fn rejects_unknown_empty_and_wrong_case() {
        assert_eq!(Scope::parse_list("balance payments"), Err(UnknownScope("payments".into())));
        assert!(Scope::parse_list("").is_err());
        assert!(Scope::parse_list("Balance").is_err());
    }
}
