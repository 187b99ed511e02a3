//! The pairing code: the household's 128-bit secret as a person types it once on another
//! desktop (Crockford's base32, grouped, forgiving of case, dashes and look-alike letters), and
//! the key every desktop derives from it.

use data_encoding::{Encoding, Specification};
use ring::hkdf;

use super::ShareError;

/// Secret bytes: 128 bits, as strong as the key itself.
pub const SECRET_LEN: usize = 16;

/// A household's secret.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret([u8; SECRET_LEN]);

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret([redacted])")
    }
}

fn crockford() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str("0123456789ABCDEFGHJKMNPQRSTVWXYZ");
    // Typed by hand: lower case, and the letters Crockford's alphabet leaves out for looking
    // like digits, read as those digits.
    spec.translate.from.push_str("abcdefghjkmnpqrstvwxyzIiLlOo");
    spec.translate.to.push_str("ABCDEFGHJKMNPQRSTVWXYZ111100");
    spec.ignore.push_str("- ");
    spec.check_trailing_bits = false;
    spec.encoding().expect("a valid base32 specification")
}

impl Secret {
    pub fn random() -> Secret {
        Secret(rand::random())
    }

    /// As stored in the keyring.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    pub fn from_hex(text: &str) -> Option<Secret> {
        hex::decode(text.trim()).ok()?.try_into().ok().map(Secret)
    }

    /// The pairing code: 26 characters in groups of four (`KURA` is not part of it).
    pub fn code(&self) -> String {
        let text = crockford().encode(&self.0);
        text.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).expect("ASCII")).collect::<Vec<_>>().join("-")
    }

    /// Reads a pairing code as typed.
    pub fn from_code(code: &str) -> Result<Secret, ShareError> {
        let bad = || ShareError::BadCode;
        let bytes = crockford().decode(code.trim().as_bytes()).map_err(|_| bad())?;
        bytes.try_into().map(Secret).map_err(|_| bad())
    }

    /// The household's key: HKDF-SHA256 of the secret, salted with the household's id.
    pub fn key(&self, household: &[u8; 16]) -> [u8; 32] {
        let salt = hkdf::Salt::new(hkdf::HKDF_SHA256, household);
        let prk = salt.extract(&self.0);
        let okm = prk.expand(&[b"kura household log key v1"], KeyLen).expect("32 bytes is a valid HKDF length");
        let mut key = [0u8; 32];
        okm.fill(&mut key).expect("32 bytes is a valid HKDF length");
        key
    }
}

struct KeyLen;

impl hkdf::KeyType for KeyLen {
    fn len(&self) -> usize {
        32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_reads_back_however_it_is_typed() {
        let secret = Secret::random();
        let code = secret.code();
        assert_eq!(code.len(), 26 + 6, "{code}");
        assert_eq!(Secret::from_code(&code).unwrap(), secret);
        let typed = code.replace('-', " ").to_lowercase().replace('1', "l").replace('0', "o");
        assert_eq!(Secret::from_code(&typed).unwrap(), secret, "{typed}");
        assert_eq!(Secret::from_hex(&secret.to_hex()).unwrap(), secret);
    }

    #[test]
    fn a_mistyped_code_is_refused() {
        let code = Secret::random().code();
        assert!(matches!(Secret::from_code(&code[..20]), Err(ShareError::BadCode)));
        assert!(matches!(Secret::from_code(&format!("{code}U")), Err(ShareError::BadCode)));
        assert!(matches!(Secret::from_code(""), Err(ShareError::BadCode)));
    }

    #[test]
    fn the_key_depends_on_the_household_too() {
        let secret = Secret::random();
        assert_eq!(secret.key(&[1; 16]), secret.key(&[1; 16]));
        assert_ne!(secret.key(&[1; 16]), secret.key(&[2; 16]));
        assert_ne!(secret.key(&[1; 16]), Secret::random().key(&[1; 16]));
    }
}
