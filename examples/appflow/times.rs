//! Timestamps as AWS CLI v2 shows and takes them. Answers carry epoch
//! seconds; v2 prints ISO 8601 (`cli_timestamp_format = iso8601`, the
//! default) or the number as sent (`wire`). Inputs may give epoch seconds
//! or an ISO 8601 date or date-time; a time without a zone is UTC, as
//! botocore reads it.

use appflow_lite::primitives::{DateTime, DateTimeFormat};

use crate::Ordered;

/// What a skeleton holds where the model has a timestamp (botocore's
/// `ArgumentGenerator` writes the epoch): the tool finds timestamps by it.
pub(crate) const EPOCH: &str = "1970-01-01T00:00:00";

/// How answers show timestamps.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum TimestampFormat {
    Iso8601,
    Wire,
}

impl TimestampFormat {
    pub fn parse(name: &str) -> Option<TimestampFormat> {
        match name {
            "iso8601" => Some(TimestampFormat::Iso8601),
            "wire" => Some(TimestampFormat::Wire),
            _ => None,
        }
    }
}

/// A timestamp of an answer as `format` shows it.
pub(crate) fn show(value: Ordered, format: TimestampFormat) -> Ordered {
    let text = match (format, &value) {
        (TimestampFormat::Iso8601, Ordered::Number(n)) => n.as_f64().and_then(iso8601),
        _ => None,
    };
    text.map_or(value, Ordered::String)
}

/// Python's `datetime.fromtimestamp(secs, UTC).isoformat()`: microseconds
/// rounded half to even, shown only when not zero.
pub(crate) fn iso8601(secs: f64) -> Option<String> {
    if !secs.is_finite() || secs.abs() > 1e11 {
        return None;
    }
    let mut whole = secs.trunc();
    let mut micros = ((secs - whole) * 1e6).round_ties_even();
    if micros >= 1e6 {
        whole += 1.0;
        micros -= 1e6;
    } else if micros < 0.0 {
        whole -= 1.0;
        micros += 1e6;
    }
    let text = DateTime::from_secs(whole as i64)
        .fmt(DateTimeFormat::DateTime)
        .ok()?;
    // "2026-12-04T22:37:36Z" from the library; Python writes the zone as
    // an offset and the fraction in microseconds.
    let base = text.strip_suffix('Z')?;
    Some(if micros == 0.0 {
        format!("{base}+00:00")
    } else {
        format!("{base}.{:06}+00:00", micros as u32)
    })
}

/// Epoch seconds from `1700000000`, `2026-12-04`, `2026-12-04T10:00:00`,
/// `2026-12-04 10:00:00.5Z` or `2026-12-04T10:00:00+02:00`.
pub(crate) fn parse_input(text: &str) -> Option<f64> {
    let text = text.trim();
    if let Ok(secs) = text.parse::<f64>() {
        return secs.is_finite().then_some(secs);
    }
    let text = text.replacen(' ', "T", 1);
    let with_time = if text.len() == 10 {
        format!("{text}T00:00:00")
    } else {
        text
    };
    let has_zone = with_time.ends_with(['Z', 'z'])
        || with_time[10..].rfind(['+', '-']).is_some_and(|at| {
            with_time[10 + at..].contains(':') || with_time.len() - (10 + at) == 5
        });
    let full = if has_zone {
        with_time
    } else {
        format!("{with_time}Z")
    };
    let time = DateTime::from_str(&full, DateTimeFormat::DateTime).ok()?;
    Some(time.secs() as f64 + f64::from(time.subsec_nanos()) / 1e9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_times_as_python_isoformat_does() {
        assert_eq!(iso8601(0.0).unwrap(), "1970-01-01T00:00:00+00:00");
        assert_eq!(
            iso8601(1_700_000_000.123).unwrap(),
            "2023-11-14T22:13:20.123000+00:00"
        );
        assert_eq!(
            iso8601(1_700_000_000.5).unwrap(),
            "2023-11-14T22:13:20.500000+00:00"
        );
        assert_eq!(iso8601(-1.5).unwrap(), "1969-12-31T23:59:58.500000+00:00");
    }

    #[test]
    fn reads_epoch_and_iso_8601_inputs() {
        assert_eq!(parse_input("1700000000"), Some(1_700_000_000.0));
        assert_eq!(parse_input("2023-11-14"), Some(1_699_920_000.0));
        assert_eq!(parse_input("2023-11-14T22:13:20Z"), Some(1_700_000_000.0));
        assert_eq!(parse_input("2023-11-14T22:13:20"), Some(1_700_000_000.0));
        assert_eq!(
            parse_input("2023-11-14 23:13:20+01:00"),
            Some(1_700_000_000.0)
        );
        assert_eq!(parse_input("2023-11-14T22:13:20.5Z"), Some(1_700_000_000.5));
        assert_eq!(parse_input("next tuesday"), None);
    }
}
