//! The derived signing key, and the cache that spares re-deriving it.

use std::fmt;
use std::sync::Mutex;

use hmac::{Hmac, Mac};
use sha2::Sha256;

use crate::credentials::Credentials;

pub(crate) type HmacSha256 = Hmac<Sha256>;

/// HMAC-SHA256 of `data` under `key`.
pub(crate) fn hmac(key: &[u8], data: &[u8]) -> [u8; 32] {
    let mut mac = HmacSha256::new_from_slice(key).expect("HMAC takes keys of any length");
    mac.update(data);
    mac.finalize().into_bytes().into()
}

/// The SigV4 key chain: `AWS4` + secret, then date, region, service, `aws4_request`.
pub(crate) fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> [u8; 32] {
    let mut seed = Vec::with_capacity(4 + secret.len());
    seed.extend_from_slice(b"AWS4");
    seed.extend_from_slice(secret.as_bytes());
    let k_date = hmac(&seed, date.as_bytes());
    let k_region = hmac(&k_date, region.as_bytes());
    let k_service = hmac(&k_region, service.as_bytes());
    hmac(&k_service, b"aws4_request")
}

/// Remembers the last derived key as a ready-keyed HMAC state.
///
/// A key is valid for one (credentials, day, region, service); a client signs
/// many requests with the same five, so deriving once saves four HMACs and the
/// key set-up of the fifth on every request.
#[derive(Default)]
pub(crate) struct KeyCache {
    last: Mutex<Option<CachedKey>>,
}

struct CachedKey {
    access_key_id: String,
    secret_access_key: String,
    date: [u8; 8],
    region: String,
    service: String,
    mac: HmacSha256,
}

impl CachedKey {
    fn matches(&self, creds: &Credentials, date: &[u8; 8], region: &str, service: &str) -> bool {
        self.date == *date
            && self.region == region
            && self.service == service
            && self.access_key_id == creds.access_key_id()
            && self.secret_access_key == creds.secret_access_key()
    }
}

impl KeyCache {
    /// HMAC-SHA256 of `string_to_sign` under the signing key for these inputs.
    ///
    /// The MAC is finished while the lock is held, so the keyed state (about
    /// 300 bytes) is copied once per signature instead of moved out and around.
    pub(crate) fn sign(
        &self,
        creds: &Credentials,
        date: &[u8; 8],
        region: &str,
        service: &str,
        string_to_sign: &[u8],
    ) -> [u8; 32] {
        // A poisoned lock only means another thread panicked mid-update; the
        // cache is then simply rebuilt.
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let keyed = match last.as_ref() {
            Some(cached) if cached.matches(creds, date, region, service) => &cached.mac,
            _ => {
                let date_text = std::str::from_utf8(date).expect("amz dates are ASCII");
                let key = derive_signing_key(creds.secret_access_key(), date_text, region, service);
                &last
                    .insert(CachedKey {
                        access_key_id: creds.access_key_id().to_owned(),
                        secret_access_key: creds.secret_access_key().to_owned(),
                        date: *date,
                        region: region.to_owned(),
                        service: service.to_owned(),
                        mac: HmacSha256::new_from_slice(&key)
                            .expect("HMAC takes keys of any length"),
                    })
                    .mac
            }
        };
        let mut mac = keyed.clone();
        mac.update(string_to_sign);
        mac.finalize().into_bytes().into()
    }

    #[cfg(test)]
    fn is_cached(&self, creds: &Credentials, date: &[u8; 8], region: &str, service: &str) -> bool {
        let last = self.last.lock().unwrap();
        last.as_ref()
            .is_some_and(|c| c.matches(creds, date, region, service))
    }
}

impl fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("KeyCache { .. }")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    #[test]
    fn derives_the_documented_example_key() {
        // AWS's documented example: 20120215 / us-east-1 / iam.
        let key = derive_signing_key(SECRET, "20120215", "us-east-1", "iam");
        assert_eq!(
            hex::encode(key),
            "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d"
        );
    }

    #[test]
    fn cache_is_replaced_when_any_input_changes() {
        let cache = KeyCache::default();
        let creds = Credentials::new("AKIDEXAMPLE", SECRET);
        let day = *b"20150830";
        cache.sign(&creds, &day, "us-east-1", "appflow", b"");
        assert!(cache.is_cached(&creds, &day, "us-east-1", "appflow"));

        let next_day = *b"20150831";
        let rotated = Credentials::new("AKIDEXAMPLE", "another-secret");
        for (creds, date, region, service) in [
            (&creds, &next_day, "us-east-1", "appflow"),
            (&rotated, &day, "us-east-1", "appflow"),
            (&creds, &day, "eu-west-1", "appflow"),
            (&creds, &day, "us-east-1", "s3"),
        ] {
            assert!(!cache.is_cached(creds, date, region, service));
            let fresh = cache.sign(creds, date, region, service, b"to sign");
            let key = derive_signing_key(
                creds.secret_access_key(),
                std::str::from_utf8(date).unwrap(),
                region,
                service,
            );
            let expected = hmac(&key, b"to sign");
            assert_eq!(fresh, expected);
            assert!(cache.is_cached(creds, date, region, service));
        }
    }
}
