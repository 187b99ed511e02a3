//! Form and query parameters as OAuth reads them: RFC 6749 §3.1 says a parameter sent without a
//! value counts as omitted, and a request parameter must not be sent more than once.

/// The decoded `name=value` pairs of a query string or an `application/x-www-form-urlencoded` body.
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(input: &[u8]) -> Self {
        Params(url::form_urlencoded::parse(input).into_owned().filter(|(_, value)| !value.is_empty()).collect())
    }

    /// The value of a single-valued parameter; `None` when absent, empty or repeated (callers
    /// reject repetition first with [`Params::repeated`]).
    pub fn get<'a>(&'a self, name: &str) -> Option<&'a str> {
        let mut values = self.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
        match (values.next(), values.next()) {
            (Some(value), None) => Some(value),
            _ => None,
        }
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0.iter().filter(move |(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The first of `names` that occurs more than once.
    pub fn repeated<'n>(&self, names: &[&'n str]) -> Option<&'n str> {
        names.iter().copied().find(|name| self.all(name).nth(1).is_some())
    }
}

#[cfg(test)]
mod tests {
    use super::Params;

    #[test]
    fn empty_values_count_as_absent_and_repeats_are_found() {
        let p = Params::parse(b"a=1&b=&c=x%20y&d=1&d=2");
        assert_eq!(p.get("a"), Some("1"));
        assert_eq!(p.get("b"), None);
        assert_eq!(p.get("c"), Some("x y"));
        assert_eq!(p.get("d"), None);
        assert_eq!(p.repeated(&["a", "b", "d"]), Some("d"));
        assert_eq!(p.all("d").collect::<Vec<_>>(), ["1", "2"]);
    }
}
