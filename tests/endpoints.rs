//! AppFlow's endpoint rules: every case of AWS's `endpoint-tests-1.json`, and
//! the hand-written partition table checked against `partitions.json`.

use appflow_lite::config::endpoint::{EndpointParams, PARTITIONS, partition, resolve_endpoint};
use serde_json::Value;

const TESTS: &str = include_str!("fixtures/appflow-model/endpoint-tests-1.json");
const PARTITIONS_JSON: &str = include_str!("fixtures/appflow-model/partitions.json");

#[test]
fn every_endpoint_test_case_resolves_as_aws_expects() {
    let tests: Value = serde_json::from_str(TESTS).unwrap();
    let cases = tests["testCases"].as_array().unwrap();
    assert_eq!(cases.len(), 36);
    let mut failures = Vec::new();
    for case in cases {
        let params = &case["params"];
        let got = resolve_endpoint(&EndpointParams {
            region: params["Region"].as_str(),
            use_fips: params["UseFIPS"].as_bool().unwrap_or(false),
            use_dual_stack: params["UseDualStack"].as_bool().unwrap_or(false),
            endpoint: params["Endpoint"].as_str(),
        });
        let expected = match (
            case["expect"]["endpoint"]["url"].as_str(),
            case["expect"]["error"].as_str(),
        ) {
            (Some(url), _) => Ok(url.to_owned()),
            (None, Some(error)) => Err(error.to_owned()),
            _ => panic!("case without expectation: {case}"),
        };
        if got != expected {
            failures.push(format!(
                "{}: expected {expected:?}, got {got:?}",
                case["documentation"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn partition_table_matches_partitions_json() {
    let file: Value = serde_json::from_str(PARTITIONS_JSON).unwrap();
    let partitions = file["partitions"].as_array().unwrap();
    let names: Vec<&str> = partitions
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let ours: Vec<&str> = PARTITIONS.iter().map(|p| p.name).collect();
    assert_eq!(ours, names);

    for (theirs, ours) in partitions.iter().zip(PARTITIONS) {
        let outputs = &theirs["outputs"];
        assert_eq!(
            outputs["dnsSuffix"].as_str(),
            Some(ours.dns_suffix),
            "{}",
            ours.name
        );
        assert_eq!(
            outputs["dualStackDnsSuffix"].as_str(),
            Some(ours.dual_stack_dns_suffix),
            "{}",
            ours.name
        );
        assert_eq!(
            outputs["supportsFIPS"].as_bool(),
            Some(ours.supports_fips),
            "{}",
            ours.name
        );
        assert_eq!(
            outputs["supportsDualStack"].as_bool(),
            Some(ours.supports_dual_stack),
            "{}",
            ours.name
        );
        // Every regionRegex has the form ^PREFIX\-\w+\-\d+$, PREFIX an
        // alternation of literal prefixes.
        let written = theirs["regionRegex"].as_str().unwrap();
        let prefix = written
            .strip_prefix('^')
            .and_then(|r| r.strip_suffix("\\-\\w+\\-\\d+$"))
            .unwrap();
        let prefix: String = prefix
            .chars()
            .filter(|c| !matches!(c, '(' | ')' | '\\'))
            .collect();
        assert_eq!(prefix, ours.region_prefixes.join("|"), "{}", ours.name);
        // Every listed region resolves to this partition.
        for region in theirs["regions"].as_object().unwrap().keys() {
            assert_eq!(partition(region).name, ours.name, "{region}");
        }
    }
}
