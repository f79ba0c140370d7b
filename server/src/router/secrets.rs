//! Provider credentials of runtime models, encrypted at rest with AES-256-GCM.
//!
//! The key is the SHA-256 of `TOLLGATE_SALT_KEY` (or LiteLLM's `LITELLM_SALT_KEY`); without one,
//! runtime models that carry credentials are refused rather than stored in clear. A sealed value
//! is `enc:v1:` + base64(12-byte random nonce ‖ ciphertext ‖ tag): a new nonce every time, and
//! any change to the stored text fails to open. Which `litellm_params` are credentials:
//! [`SECRET_PARAMS`].

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest, Sha256};

use crate::error::{Error, Result};

/// `litellm_params` keys whose values are secrets.
pub const SECRET_PARAMS: &[&str] = &[
    "api_key",
    "aws_secret_access_key",
    "aws_session_token",
    "vertex_credentials",
];

const PREFIX: &str = "enc:v1:";

/// The sealing key, from the salt key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Aes256Gcm,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox(..)")
    }
}

impl SecretBox {
    /// The box for `salt_key`.
    pub fn new(salt_key: &str) -> Self {
        let key = Sha256::digest(salt_key.as_bytes());
        Self {
            cipher: Aes256Gcm::new(&key),
        }
    }

    /// The box of `TOLLGATE_SALT_KEY` / `LITELLM_SALT_KEY`, if one is set.
    pub fn from_env(lookup: impl Fn(&str) -> Option<String>) -> Option<Self> {
        lookup("TOLLGATE_SALT_KEY")
            .or_else(|| lookup("LITELLM_SALT_KEY"))
            .filter(|k| !k.is_empty())
            .map(|k| Self::new(&k))
    }

    pub fn seal(&self, plain: &str) -> Result<String> {
        let mut nonce = [0u8; 12];
        getrandom::fill(&mut nonce).map_err(|e| Error::Internal(format!("no randomness: {e}")))?;
        let sealed = self
            .cipher
            .encrypt(&Nonce::from(nonce), plain.as_bytes())
            .map_err(|_| Error::Internal("cannot encrypt a credential".into()))?;
        let mut bytes = nonce.to_vec();
        bytes.extend(sealed);
        Ok(format!("{PREFIX}{}", STANDARD.encode(bytes)))
    }

    pub fn open(&self, sealed: &str) -> Result<String> {
        let broken = || {
            Error::Internal(
                "a stored credential cannot be decrypted (was TOLLGATE_SALT_KEY changed?)".into(),
            )
        };
        let bytes = sealed
            .strip_prefix(PREFIX)
            .and_then(|b| STANDARD.decode(b).ok())
            .ok_or_else(broken)?;
        if bytes.len() < 12 {
            return Err(broken());
        }
        let (nonce, body) = bytes.split_at(12);
        let nonce: [u8; 12] = nonce.try_into().map_err(|_| broken())?;
        let plain = self
            .cipher
            .decrypt(&Nonce::from(nonce), body)
            .map_err(|_| broken())?;
        String::from_utf8(plain).map_err(|_| broken())
    }
}

/// Whether `value` is a sealed secret.
pub fn is_sealed(value: &str) -> bool {
    value.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    // A sealed credential opens with the same salt key only, and never shows the plain text.
    #[test]
    fn seals_and_opens() {
        let b = SecretBox::new("salt-1");
        let sealed = b.seal("sk-live-123").unwrap();
        assert!(is_sealed(&sealed));
        assert!(!sealed.contains("sk-live-123"));
        assert_ne!(
            sealed,
            b.seal("sk-live-123").unwrap(),
            "a new nonce each time"
        );
        assert_eq!(b.open(&sealed).unwrap(), "sk-live-123");
        assert!(SecretBox::new("salt-2").open(&sealed).is_err());
        let mut tampered = sealed.clone();
        tampered.replace_range(10..11, if &sealed[10..11] == "A" { "B" } else { "A" });
        assert!(b.open(&tampered).is_err());
    }
}
