//! AppFlow's endpoint rules (`endpoint-rule-set-1.json`), evaluated by hand.
//!
//! The rule set is small: a custom endpoint wins (and refuses FIPS and
//! dual-stack); otherwise the region's partition gives the DNS suffix, and
//! FIPS or dual-stack choose the host name and the suffix.

/// The rule set's inputs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EndpointParams<'a> {
    /// `Region`.
    pub region: Option<&'a str>,
    /// `UseFIPS`.
    pub use_fips: bool,
    /// `UseDualStack`.
    pub use_dual_stack: bool,
    /// `Endpoint`: a URL that replaces the rules' choice.
    pub endpoint: Option<&'a str>,
}

/// Chooses AppFlow's endpoint URL, or returns the rule set's error message.
pub fn resolve_endpoint(params: &EndpointParams<'_>) -> Result<String, String> {
    if let Some(endpoint) = params.endpoint {
        if params.use_fips {
            return Err("Invalid Configuration: FIPS and custom endpoint are not supported".into());
        }
        if params.use_dual_stack {
            return Err(
                "Invalid Configuration: Dualstack and custom endpoint are not supported".into(),
            );
        }
        return Ok(endpoint.to_owned());
    }
    let Some(region) = params.region else {
        return Err("Invalid Configuration: Missing Region".into());
    };
    let partition = partition(region);
    let (host, suffix) = match (params.use_fips, params.use_dual_stack) {
        (true, true) if partition.supports_fips && partition.supports_dual_stack => {
            ("appflow-fips", partition.dual_stack_dns_suffix)
        }
        (true, true) => {
            return Err(
                "FIPS and DualStack are enabled, but this partition does not support one or both"
                    .into(),
            );
        }
        (true, false) if partition.supports_fips => ("appflow-fips", partition.dns_suffix),
        (true, false) => {
            return Err("FIPS is enabled but this partition does not support FIPS".into());
        }
        (false, true) if partition.supports_dual_stack => {
            ("appflow", partition.dual_stack_dns_suffix)
        }
        (false, true) => {
            return Err(
                "DualStack is enabled but this partition does not support DualStack".into(),
            );
        }
        (false, false) => ("appflow", partition.dns_suffix),
    };
    Ok(format!("https://{host}.{region}.{suffix}"))
}

/// One partition of `partitions.json`: the part the rules read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Partition {
    /// `aws`, `aws-cn`, ...
    pub name: &'static str,
    /// Region prefixes of its `regionRegex`, which is always
    /// `^(PREFIX|...)-\w+-\d+$`.
    pub region_prefixes: &'static [&'static str],
    /// Regions listed by name that the pattern does not cover (`aws-global`).
    pub named_regions: &'static [&'static str],
    /// `dnsSuffix`.
    pub dns_suffix: &'static str,
    /// `dualStackDnsSuffix`.
    pub dual_stack_dns_suffix: &'static str,
    /// `supportsFIPS`.
    pub supports_fips: bool,
    /// `supportsDualStack`.
    pub supports_dual_stack: bool,
}

const fn partition_of(
    name: &'static str,
    region_prefixes: &'static [&'static str],
    named_regions: &'static [&'static str],
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
) -> Partition {
    Partition {
        name,
        region_prefixes,
        named_regions,
        dns_suffix,
        dual_stack_dns_suffix,
        supports_fips: true,
        supports_dual_stack: true,
    }
}

/// The partitions, in `partitions.json`'s order (a test checks this table
/// against the file).
pub const PARTITIONS: &[Partition] = &[
    partition_of(
        "aws",
        &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        &["aws-global"],
        "amazonaws.com",
        "api.aws",
    ),
    partition_of(
        "aws-cn",
        &["cn"],
        &["aws-cn-global"],
        "amazonaws.com.cn",
        "api.amazonwebservices.com.cn",
    ),
    partition_of(
        "aws-eusc",
        &["eusc-de"],
        &[],
        "amazonaws.eu",
        "api.amazonwebservices.eu",
    ),
    partition_of(
        "aws-iso",
        &["us-iso"],
        &["aws-iso-global"],
        "c2s.ic.gov",
        "api.aws.ic.gov",
    ),
    partition_of(
        "aws-iso-b",
        &["us-isob"],
        &["aws-iso-b-global"],
        "sc2s.sgov.gov",
        "api.aws.scloud",
    ),
    partition_of(
        "aws-iso-e",
        &["eu-isoe"],
        &["aws-iso-e-global"],
        "cloud.adc-e.uk",
        "api.cloud-aws.adc-e.uk",
    ),
    partition_of(
        "aws-iso-f",
        &["us-isof"],
        &["aws-iso-f-global"],
        "csp.hci.ic.gov",
        "api.aws.hci.ic.gov",
    ),
    partition_of(
        "aws-us-gov",
        &["us-gov"],
        &["aws-us-gov-global"],
        "amazonaws.com",
        "api.aws",
    ),
];

/// The rules' `aws.partition`: a region named in a partition, else the first
/// whose pattern matches, else `aws`.
pub fn partition(region: &str) -> &'static Partition {
    PARTITIONS
        .iter()
        .find(|p| p.named_regions.contains(&region))
        .or_else(|| {
            PARTITIONS.iter().find(|p| {
                p.region_prefixes
                    .iter()
                    .any(|prefix| matches_region(region, prefix))
            })
        })
        .unwrap_or(&PARTITIONS[0])
}

/// `^PREFIX-\w+-\d+$`.
fn matches_region(region: &str, prefix: &str) -> bool {
    let Some(rest) = region
        .strip_prefix(prefix)
        .and_then(|r| r.strip_prefix('-'))
    else {
        return false;
    };
    let Some((word, digits)) = rest.split_once('-') else {
        return false;
    };
    let is_word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    !word.is_empty()
        && word.chars().all(is_word)
        && !digits.is_empty()
        && digits.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_find_their_partition() {
        assert_eq!(partition("us-east-1").name, "aws");
        assert_eq!(partition("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition("us-isob-east-1").name, "aws-iso-b");
        assert_eq!(partition("eusc-de-east-1").name, "aws-eusc");
        assert_eq!(partition("cn-northwest-1").name, "aws-cn");
        assert_eq!(partition("aws-cn-global").name, "aws-cn");
        // Unknown shapes fall back to `aws`.
        assert_eq!(partition("mars-1").name, "aws");
        assert_eq!(partition("us-east-1a").name, "aws");
    }

    #[test]
    fn region_pattern_is_whole_and_exact() {
        assert!(matches_region("us-east-1", "us"));
        assert!(!matches_region("us-gov-west-1", "us"));
        assert!(matches_region("us-gov-west-1", "us-gov"));
        assert!(!matches_region("us-east-", "us"));
        assert!(!matches_region("us--1", "us"));
    }
}
