//! An independent SigV4 check for the fake STS and friends: a textbook
//! computation on `hmac` and `sha2`, sharing no code with the crate's signer,
//! for requests without a query string (all STS needs).

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

use super::Recorded;

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// Checks `request`'s `Authorization` against `secret` for `service`:
/// `Ok(access key id)` when the signature is right.
pub fn verify(request: &Recorded, secret: &str, service: &str) -> Result<String, String> {
    let authorization = request.header("authorization").ok_or("no Authorization")?;
    let rest = authorization
        .strip_prefix("AWS4-HMAC-SHA256 Credential=")
        .ok_or("not SigV4")?;
    let (credential, rest) = rest
        .split_once(", SignedHeaders=")
        .ok_or("no SignedHeaders")?;
    let (signed_headers, signature) = rest.split_once(", Signature=").ok_or("no Signature")?;
    let mut scope = credential.splitn(5, '/');
    let (key_id, date, region, scope_service) = (
        scope.next().ok_or("no key id")?,
        scope.next().ok_or("no date")?,
        scope.next().ok_or("no region")?,
        scope.next().ok_or("no service")?,
    );
    if scope_service != service {
        return Err(format!("signed for {scope_service}, not {service}"));
    }
    let mut canonical = format!("{}\n{}\n\n", request.method, request.path);
    for name in signed_headers.split(';') {
        let value = request
            .header(name)
            .ok_or(format!("signed header {name} missing"))?;
        canonical.push_str(&format!(
            "{name}:{}\n",
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    canonical.push_str(&format!(
        "\n{signed_headers}\n{}",
        hex::encode(Sha256::digest(&request.body))
    ));
    let amz_date = request.header("x-amz-date").ok_or("no X-Amz-Date")?;
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{date}/{region}/{service}/aws4_request\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let key = [date, region, service, "aws4_request"]
        .iter()
        .fold(format!("AWS4{secret}").into_bytes(), |key, part| {
            hmac(&key, part)
        });
    let expected = hex::encode(hmac(&key, &string_to_sign));
    if expected == signature {
        Ok(key_id.to_owned())
    } else {
        Err(format!(
            "signature mismatch; canonical request:\n{canonical}"
        ))
    }
}
