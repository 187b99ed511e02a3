//! Random secrets (codes, tokens, browser bindings) and the digests stored in their place.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::Rng;
use sha2::{Digest as _, Sha256};

/// SHA-256 of a secret: the server keeps only this, so a memory dump yields no usable token.
pub type Digest = [u8; 32];

/// 32 random bytes from the thread's CSPRNG, base64url without padding (43 characters).
pub fn new_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

pub fn digest(secret: &str) -> Digest {
    Sha256::digest(secret.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    #[test]
    fn secrets_are_long_url_safe_and_distinct() {
        let (a, b) = (super::new_secret(), super::new_secret());
        assert_eq!(a.len(), 43);
        assert!(a.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_ne!(a, b);
    }
}
