//! Key secrets: `sk-` + 32 random URL-safe characters, stored only as their SHA-256 (hex).

use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const RANDOM_CHARS: usize = 32;
/// Shortest secret accepted when an admin chooses it (`sk-` + 22 characters, per ARCHITECTURE).
pub const MIN_CUSTOM_LEN: usize = 3 + 22;

/// A new random secret from the OS's CSPRNG.
pub fn generate() -> Result<String> {
    let mut bytes = [0u8; RANDOM_CHARS];
    getrandom::fill(&mut bytes).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    let body: String = bytes
        .iter()
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect();
    Ok(format!("sk-{body}"))
}

/// The stored form of a secret: lowercase hex SHA-256.
pub fn hash(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    let mut out = String::with_capacity(64);
    for b in digest {
        for nibble in [b >> 4, b & 0x0f] {
            out.push(char::from_digit(u32::from(nibble), 16).unwrap_or('0'));
        }
    }
    out
}

/// How listings show a key: `sk-...abcd`.
pub fn display_name(secret: &str) -> String {
    let tail: String = secret
        .chars()
        .rev()
        .take(4)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    format!("sk-...{tail}")
}

/// Checks an admin-chosen secret: `sk-` and at least 22 URL-safe characters after it.
pub fn validate_custom(secret: &str) -> Result<()> {
    let ok = secret.starts_with("sk-")
        && secret.len() >= MIN_CUSTOM_LEN
        && secret[3..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(())
    } else {
        Err(Error::invalid_param(
            "key: must start with `sk-` followed by at least 22 URL-safe characters (A-Z a-z 0-9 - _)",
            "key",
        ))
    }
}

/// Whether `text` is already a stored hash (64 hex digits) rather than a secret; LiteLLM's
/// routes accept either.
pub fn is_hash(text: &str) -> bool {
    text.len() == 64 && text.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The stored hash for a secret or a hash.
pub fn token_of(secret_or_hash: &str) -> String {
    if is_hash(secret_or_hash) {
        secret_or_hash.to_ascii_lowercase()
    } else {
        hash(secret_or_hash)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Generated secrets have the documented shape, differ, and hash deterministically.
    #[test]
    fn generates_and_hashes() {
        let a = generate().unwrap();
        let b = generate().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with("sk-") && a.len() == 35);
        validate_custom(&a).unwrap();
        assert_eq!(hash(&a), hash(&a));
        // Stored hashes are plain lowercase hex SHA-256 (LiteLLM's form too).
        assert_eq!(
            hash("sk-1234"),
            "88dc28d0f030c55ed4ab77ed8faf098196cb1c05df778539800c9f1243fe6b4b"
        );
        assert!(is_hash(&hash(&a)));
        assert_eq!(token_of(&hash(&a)), hash(&a));
        assert_eq!(display_name("sk-abcdefgh1234"), "sk-...1234");
        assert!(validate_custom("sk-short").is_err());
        assert!(validate_custom("pk-aaaaaaaaaaaaaaaaaaaaaaaaaa").is_err());
    }
}
