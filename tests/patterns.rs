//! The crate's pattern matcher agrees with Python's `re` on every pattern
//! in AppFlow's model: 4,700 strings generated from the patterns and mutated
//! into near misses (`scripts/pattern_cases.py`, output committed).

use std::collections::BTreeSet;

use appflow_lite::pattern::Pattern;
use serde_json::Value;

#[test]
fn every_model_pattern_matches_as_python_re_does() {
    let fixture: Value = serde_json::from_str(include_str!("fixtures/patterns.json")).unwrap();
    let mut checked = BTreeSet::new();
    let mut disagreements = Vec::new();
    for case in fixture["cases"].as_array().unwrap() {
        let text = case["pattern"].as_str().unwrap();
        let pattern = Pattern::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
        let samples = case["samples"].as_array().unwrap();
        assert!(samples.len() > 100, "{text}");
        assert!(
            samples.iter().any(|s| s[1] == true),
            "{text}: no matching sample"
        );
        for sample in samples {
            let (value, expected) = (sample[0].as_str().unwrap(), sample[1].as_bool().unwrap());
            if pattern.search(value) != expected {
                disagreements.push(format!("{text} on {value:?}: Python says {expected}"));
            }
        }
        checked.insert(text.to_owned());
    }
    assert!(disagreements.is_empty(), "{disagreements:#?}");

    // Every pattern the model has today is in the fixture.
    let model: Value =
        serde_json::from_str(include_str!("fixtures/appflow-model/service-2.json")).unwrap();
    let in_model: BTreeSet<String> = model["shapes"]
        .as_object()
        .unwrap()
        .values()
        .filter_map(|shape| shape["pattern"].as_str().map(str::to_owned))
        .collect();
    assert_eq!(
        in_model, checked,
        "regenerate with scripts/pattern_cases.py"
    );
    assert_eq!(checked.len(), 28);
}
