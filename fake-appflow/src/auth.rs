//! Checks a request's SigV4 signature the way AWS does, and answers with
//! AWS's errors when it is wrong.

use std::time::{Duration, SystemTime};

use appflow_lite::credentials::Credentials;
use appflow_lite::sigv4;

use crate::http::HttpRequest;
use crate::service::ErrorAnswer;
use crate::signature::{self, Claim, Refusal};

/// AWS accepts signatures made up to five minutes from its own clock.
const ALLOWED_SKEW: Duration = Duration::from_secs(5 * 60);

/// Who signed: the key and the region of the credential scope.
pub(crate) struct Signed {
    pub region: String,
}

pub(crate) fn verify(
    request: &HttpRequest,
    keys: &[Credentials],
    now: SystemTime,
) -> Result<Signed, ErrorAnswer> {
    let invalid = |message: String| ErrorAnswer::new(403, "InvalidSignatureException", message);
    let Some(authorization) = request.header("authorization") else {
        return Err(ErrorAnswer::new(
            403,
            "MissingAuthenticationTokenException",
            "Missing Authentication Token",
        ));
    };
    let parsed = parse_authorization(authorization).ok_or_else(|| {
        ErrorAnswer::new(400, "IncompleteSignatureException", format!("Authorization header requires 'Credential', 'SignedHeaders' and 'Signature': {authorization}"))
    })?;
    let scope: Vec<&str> = parsed.credential.split('/').collect();
    let [key_id, date, region, service, "aws4_request"] = scope[..] else {
        return Err(invalid(format!(
            "Credential should be scoped to a valid region, not '{}'.",
            parsed.credential
        )));
    };
    if service != "appflow" {
        return Err(invalid(
            "Credential should be scoped to correct service: 'appflow'.".into(),
        ));
    }
    let unrecognized = || {
        ErrorAnswer::new(
            403,
            "UnrecognizedClientException",
            "The security token included in the request is invalid.",
        )
    };
    let credentials = keys
        .iter()
        .find(|c| c.access_key_id() == key_id)
        .ok_or_else(unrecognized)?;
    if credentials.session_token() != request.header("x-amz-security-token") {
        return Err(unrecognized());
    }

    let amz_date = request.header("x-amz-date").unwrap_or_default();
    let time = sigv4::parse_amz_date(amz_date)
        .ok_or_else(|| invalid("Authorization requires a valid X-Amz-Date header.".into()))?;
    if !amz_date.starts_with(date) {
        return Err(invalid(format!(
            "Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '{date}' != '{}'",
            &amz_date[..8]
        )));
    }
    if time + ALLOWED_SKEW < now {
        return Err(invalid(format!(
            "Signature expired: {amz_date} is now earlier than {} ({} - 5 min.)",
            crate::clock::amz_date(now - ALLOWED_SKEW),
            crate::clock::amz_date(now)
        )));
    }
    if time > now + ALLOWED_SKEW {
        return Err(invalid(format!(
            "Signature not yet current: {amz_date} is still later than {} ({} + 5 min.)",
            crate::clock::amz_date(now + ALLOWED_SKEW),
            crate::clock::amz_date(now)
        )));
    }

    // Recompute the signature independently, over the headers the client
    // says it signed. The path is tried as sent, then normalised: SDKs
    // differ on whether they remove `.` and empty segments first.
    let claim = Claim {
        amz_date,
        region,
        service,
        signed_headers: parsed.signed_headers,
    };
    let secret = credentials.secret_access_key();
    let check = |normalize| {
        signature::expected(
            &request.method,
            &request.target,
            &request.headers,
            &request.body,
            secret,
            &claim,
            normalize,
        )
        .map_err(|refusal| match refusal {
            Refusal::HostNotSigned | Refusal::UnsortedHeaders => {
                ErrorAnswer::new(400, "IncompleteSignatureException", refusal.to_string())
            }
            Refusal::MissingHeader(_) => invalid(refusal.to_string()),
        })
    };
    let expected = check(false)?;
    if expected.signature != parsed.signature && check(true)?.signature != parsed.signature {
        return Err(invalid(format!(
            "The request signature we calculated does not match the signature you provided. \
             Check your AWS Secret Access Key and signing method. Consult the service documentation for details.\n\n\
             The Canonical String for this request should have been\n'{}'\n\nThe String-to-Sign should have been\n'{}'\n",
            expected.canonical_request, expected.string_to_sign
        )));
    }
    Ok(Signed {
        region: region.to_owned(),
    })
}

struct Authorization<'a> {
    credential: &'a str,
    signed_headers: &'a str,
    signature: &'a str,
}

fn parse_authorization(value: &str) -> Option<Authorization<'_>> {
    let rest = value.strip_prefix("AWS4-HMAC-SHA256 ")?;
    let (mut credential, mut signed_headers, mut signature) = (None, None, None);
    for part in rest.split(',') {
        let (key, value) = part.trim().split_once('=')?;
        match key {
            "Credential" => credential = Some(value),
            "SignedHeaders" => signed_headers = Some(value),
            "Signature" => signature = Some(value),
            _ => return None,
        }
    }
    Some(Authorization {
        credential: credential?,
        signed_headers: signed_headers?,
        signature: signature?,
    })
}
