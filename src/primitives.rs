//! Values the SDK calls primitives: [`DateTime`], the timestamp of every
//! timestamp member, and [`UnknownVariantValue`], what an enum holds for a
//! value added after this crate was generated.

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NANOS_PER_SECOND: i128 = 1_000_000_000;

/// A point in time, to the nanosecond, as seconds since the Unix epoch
/// (negative before it) and the nanoseconds into that second.
///
/// `Ord` is time order. Converts to and from [`SystemTime`]; formats and
/// parses as ISO 8601 (RFC 3339), epoch seconds and the HTTP date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    seconds: i64,
    /// Always below a billion.
    subsecond_nanos: u32,
}

/// How a [`DateTime`] is written as text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// RFC 3339 in UTC, fractions of a second (to the microsecond, as the
    /// SDK writes them) only when there are some: `2026-11-28T20:15:45Z`,
    /// `2026-11-28T20:15:45.5Z`.
    DateTime,
    /// The HTTP date, whole seconds: `Sat, 28 Nov 2026 20:15:45 GMT`.
    HttpDate,
    /// Seconds since the epoch, fraction only when there is one:
    /// `1795896945`, `1795896945.5`.
    EpochSeconds,
}

/// The SDK's name for [`Format`].
pub use self::Format as DateTimeFormat;

/// A [`DateTime`] that another type cannot hold (a [`SystemTime`] out of
/// range, milliseconds that overflow `i64`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConversionError(&'static str);

impl fmt::Display for ConversionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for ConversionError {}

/// Text that is not a time in the [`Format`] asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeParseError {
    text: String,
    format: Format,
}

impl fmt::Display for DateTimeParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "\"{}\" is not a time in the {:?} format",
            crate::error::Escaped(&self.text),
            self.format
        )
    }
}

impl std::error::Error for DateTimeParseError {}

/// A [`DateTime`] outside what a [`Format`] can write (years 1 to 9999 for
/// RFC 3339 and the HTTP date).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateTimeFormatError {
    seconds: i64,
}

impl fmt::Display for DateTimeFormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} seconds from the epoch is outside the years 1 to 9999",
            self.seconds
        )
    }
}

impl std::error::Error for DateTimeFormatError {}

impl DateTime {
    /// `epoch_seconds` after (or, negative, before) the Unix epoch.
    pub fn from_secs(epoch_seconds: i64) -> DateTime {
        DateTime {
            seconds: epoch_seconds,
            subsecond_nanos: 0,
        }
    }

    /// `epoch_millis` milliseconds after (or before) the Unix epoch.
    pub fn from_millis(epoch_millis: i64) -> DateTime {
        DateTime {
            seconds: epoch_millis.div_euclid(1000),
            subsecond_nanos: epoch_millis.rem_euclid(1000) as u32 * 1_000_000,
        }
    }

    /// `epoch_nanos` nanoseconds after (or before) the Unix epoch; an error
    /// beyond what `i64` seconds hold.
    pub fn from_nanos(epoch_nanos: i128) -> Result<DateTime, ConversionError> {
        let seconds = i64::try_from(epoch_nanos.div_euclid(NANOS_PER_SECOND))
            .map_err(|_| ConversionError("the nanoseconds are out of range"))?;
        Ok(DateTime {
            seconds,
            subsecond_nanos: epoch_nanos.rem_euclid(NANOS_PER_SECOND) as u32,
        })
    }

    /// Whole seconds and the nanoseconds into the next one; nanoseconds of
    /// a second or more carry into the seconds.
    pub fn from_secs_and_nanos(seconds: i64, subsecond_nanos: u32) -> DateTime {
        DateTime {
            seconds: seconds.saturating_add(i64::from(subsecond_nanos / 1_000_000_000)),
            subsecond_nanos: subsecond_nanos % 1_000_000_000,
        }
    }

    /// Fractional seconds since the epoch (what a JSON timestamp holds),
    /// rounded to the microsecond a double can carry at today's dates.
    /// Not-a-number is the epoch; beyond `i64` seconds saturates.
    pub fn from_secs_f64(epoch_seconds: f64) -> DateTime {
        if epoch_seconds.is_nan() {
            return DateTime::from_secs(0);
        }
        let seconds = epoch_seconds.floor();
        let micros = ((epoch_seconds - seconds) * 1_000_000.0).round() as u32;
        DateTime::from_secs_and_nanos(seconds as i64, micros * 1000)
    }

    /// The time as fractional seconds since the epoch.
    pub fn as_secs_f64(&self) -> f64 {
        self.seconds as f64 + f64::from(self.subsecond_nanos) / 1e9
    }

    /// Nanoseconds since the epoch.
    pub fn as_nanos(&self) -> i128 {
        i128::from(self.seconds) * NANOS_PER_SECOND + i128::from(self.subsecond_nanos)
    }

    /// Whole seconds since the epoch (rounded down: -0.5 s is -1).
    pub fn secs(&self) -> i64 {
        self.seconds
    }

    /// Nanoseconds past [`secs`](Self::secs), below a billion.
    pub fn subsec_nanos(&self) -> u32 {
        self.subsecond_nanos
    }

    /// Whether the time has a fraction of a second.
    pub fn has_subsec_nanos(&self) -> bool {
        self.subsecond_nanos != 0
    }

    /// Milliseconds since the epoch (rounded down); an error beyond `i64`.
    pub fn to_millis(self) -> Result<i64, ConversionError> {
        self.seconds
            .checked_mul(1000)
            .and_then(|ms| ms.checked_add(i64::from(self.subsecond_nanos / 1_000_000)))
            .ok_or(ConversionError("the milliseconds overflow i64"))
    }

    /// Reads `text` written in `format`.
    pub fn from_str(text: &str, format: Format) -> Result<DateTime, DateTimeParseError> {
        let parsed = match format {
            Format::DateTime => crate::time::parse_rfc3339_nanos(text),
            Format::HttpDate => crate::time::parse_http_date(text).map(DateTime::from),
            Format::EpochSeconds => parse_epoch_seconds(text),
        };
        parsed.ok_or_else(|| DateTimeParseError {
            text: text.to_owned(),
            format,
        })
    }

    /// Writes the time in `format`.
    pub fn fmt(&self, format: Format) -> Result<String, DateTimeFormatError> {
        let out_of_range = DateTimeFormatError {
            seconds: self.seconds,
        };
        match format {
            Format::EpochSeconds => Ok(self.epoch_seconds()),
            Format::DateTime => crate::time::format_rfc3339_nanos(*self).ok_or(out_of_range),
            Format::HttpDate => crate::time::format_http_date(self.seconds).ok_or(out_of_range),
        }
    }

    fn epoch_seconds(&self) -> String {
        if self.subsecond_nanos == 0 {
            return self.seconds.to_string();
        }
        // -1.25 s is seconds -2 and 750 000 000 ns.
        let (sign, whole, nanos) = if self.seconds < 0 {
            (
                "-",
                (self.seconds + 1).unsigned_abs(),
                1_000_000_000 - self.subsecond_nanos,
            )
        } else {
            ("", self.seconds.unsigned_abs(), self.subsecond_nanos)
        };
        let fraction = format!("{nanos:09}");
        format!("{sign}{whole}.{}", fraction.trim_end_matches('0'))
    }
}

fn parse_epoch_seconds(text: &str) -> Option<DateTime> {
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let plain = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !plain(whole) || !plain(fraction) || fraction.len() > 9 {
        return None;
    }
    let whole: i64 = whole.parse().ok()?;
    let nanos: u32 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<9}").parse().ok()?
    };
    let total = i128::from(whole) * NANOS_PER_SECOND + i128::from(nanos);
    DateTime::from_nanos(if negative { -total } else { total }).ok()
}

/// ISO 8601 (RFC 3339), or epoch seconds for a time outside the years 1 to
/// 9999.
impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match DateTime::fmt(self, Format::DateTime) {
            Ok(text) => f.write_str(&text),
            Err(_) => f.write_str(&self.epoch_seconds()),
        }
    }
}

impl From<SystemTime> for DateTime {
    fn from(time: SystemTime) -> DateTime {
        match time.duration_since(UNIX_EPOCH) {
            Ok(after) => DateTime::from_secs_and_nanos(
                i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
                after.subsec_nanos(),
            ),
            Err(before) => {
                let before = before.duration();
                let nanos = i128::from(before.as_secs()) * NANOS_PER_SECOND
                    + i128::from(before.subsec_nanos());
                DateTime::from_nanos(-nanos).unwrap_or(DateTime::from_secs(i64::MIN))
            }
        }
    }
}

impl TryFrom<DateTime> for SystemTime {
    type Error = ConversionError;

    fn try_from(time: DateTime) -> Result<SystemTime, ConversionError> {
        let nanos = time.as_nanos();
        let magnitude = nanos.unsigned_abs();
        let duration = Duration::new(
            u64::try_from(magnitude / NANOS_PER_SECOND as u128)
                .map_err(|_| ConversionError("out of SystemTime's range"))?,
            (magnitude % NANOS_PER_SECOND as u128) as u32,
        );
        let converted = if nanos >= 0 {
            UNIX_EPOCH.checked_add(duration)
        } else {
            UNIX_EPOCH.checked_sub(duration)
        };
        converted.ok_or(ConversionError("out of SystemTime's range"))
    }
}

/// What an enum holds for a value this crate does not know. Only parsing
/// makes one, so a known value always parses to its own variant and `==`,
/// `Ord` and `Hash` agree with the wire value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub struct UnknownVariantValue(String);

impl UnknownVariantValue {
    /// The empty value, for statics.
    pub(crate) const EMPTY: UnknownVariantValue = UnknownVariantValue(String::new());

    pub(crate) fn new(value: &str) -> UnknownVariantValue {
        UnknownVariantValue(value.to_owned())
    }

    /// The wire value.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnknownVariantValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn millis_and_nanos_split_as_the_sdk_splits_them() {
        let t = DateTime::from_millis(-1_500);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 500_000_000));
        assert_eq!(t.to_millis(), Ok(-1_500));
        let t = DateTime::from_nanos(1_795_896_945_123_456_789).unwrap();
        assert_eq!((t.secs(), t.subsec_nanos()), (1_795_896_945, 123_456_789));
        assert_eq!(DateTime::from_secs_and_nanos(1, 2_500_000_000).secs(), 3);
        assert!(DateTime::from_secs(i64::MAX).to_millis().is_err());
    }

    #[test]
    fn formats_as_iso_8601_epoch_seconds_and_http_date() {
        let t = DateTime::from_secs(1_795_896_945);
        assert_eq!(t.fmt(Format::DateTime).unwrap(), "2026-11-28T20:15:45Z");
        assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), "1795896945");
        assert_eq!(
            t.fmt(Format::HttpDate).unwrap(),
            "Sat, 28 Nov 2026 20:15:45 GMT"
        );
        let half = DateTime::from_millis(1_795_896_945_500);
        assert_eq!(
            half.fmt(Format::DateTime).unwrap(),
            "2026-11-28T20:15:45.5Z"
        );
        assert_eq!(half.fmt(Format::EpochSeconds).unwrap(), "1795896945.5");
        assert_eq!(half.to_string(), "2026-11-28T20:15:45.5Z");
        let before = DateTime::from_millis(-1_250);
        assert_eq!(before.fmt(Format::EpochSeconds).unwrap(), "-1.25");
        assert_eq!(
            before.fmt(Format::DateTime).unwrap(),
            "1969-12-31T23:59:58.75Z"
        );
        assert!(DateTime::from_secs(i64::MAX).fmt(Format::DateTime).is_err());
        assert_eq!(
            DateTime::from_secs(i64::MAX).to_string(),
            i64::MAX.to_string()
        );
    }

    #[test]
    fn parses_what_it_formats() {
        for text in [
            "2026-11-28T20:15:45Z",
            "2026-11-28T20:15:45.123456Z",
            "1969-12-31T23:59:58.75Z",
            "0001-01-01T00:00:00Z",
        ] {
            let t = DateTime::from_str(text, Format::DateTime).unwrap();
            assert_eq!(t.fmt(Format::DateTime).unwrap(), text);
        }
        for text in ["1795896945", "1795896945.5", "-1.25", "0"] {
            let t = DateTime::from_str(text, Format::EpochSeconds).unwrap();
            assert_eq!(t.fmt(Format::EpochSeconds).unwrap(), text);
        }
        let t = DateTime::from_str("Sat, 28 Nov 2026 20:15:45 GMT", Format::HttpDate).unwrap();
        assert_eq!(t.secs(), 1_795_896_945);
        for bad in ["", "x", "1.2.3", "+5", "1e3", "2026-13-01T00:00:00Z"] {
            assert!(
                DateTime::from_str(bad, Format::EpochSeconds).is_err(),
                "{bad}"
            );
            assert!(DateTime::from_str(bad, Format::DateTime).is_err(), "{bad}");
        }
    }

    #[test]
    fn converts_with_system_time_both_ways() {
        let now = SystemTime::now();
        let t = DateTime::from(now);
        assert_eq!(SystemTime::try_from(t).unwrap(), now);
        let before = UNIX_EPOCH - Duration::from_millis(1_250);
        let t = DateTime::from(before);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 750_000_000));
        assert_eq!(SystemTime::try_from(t).unwrap(), before);
        assert!(t < DateTime::from_secs(0));
    }

    #[test]
    fn fractional_seconds_round_to_the_microsecond() {
        let t = DateTime::from_secs_f64(1_795_896_945.123);
        assert_eq!((t.secs(), t.subsec_nanos()), (1_795_896_945, 123_000_000));
        let t = DateTime::from_secs_f64(-1.25);
        assert_eq!((t.secs(), t.subsec_nanos()), (-2, 750_000_000));
    }
}
