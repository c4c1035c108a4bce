//! Idempotency tokens: random UUIDs (version 4) from the OS's generator.

/// A new UUID v4 as lowercase hex with hyphens, e.g.
/// `3f2a6c1e-8d4b-4a7e-9c2d-5b1e0f7a9c3d`.
pub(crate) fn uuid_v4() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::getrandom(&mut bytes)?;
    Ok(format_v4(bytes))
}

/// A new idempotency token, for a call given none.
pub(crate) fn client_token() -> Result<String, crate::Error> {
    uuid_v4().map_err(|e| {
        crate::Error::Io(std::io::Error::other(format!(
            "no randomness for a client token: {e}"
        )))
    })
}

/// Sets the version and variant bits of RFC 9562 and formats the UUID.
fn format_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // variant 10xx
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn version_and_variant_bits_are_set() {
        assert_eq!(
            format_v4([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(format_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn tokens_are_well_formed_and_distinct() {
        let tokens: Vec<String> = (0..64).map(|_| uuid_v4().unwrap()).collect();
        for token in &tokens {
            assert_eq!(token.len(), 36);
            assert_eq!(&token[14..15], "4");
            assert!("89ab".contains(&token[19..20]), "{token}");
        }
        let mut unique = tokens.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), tokens.len());
    }
}
