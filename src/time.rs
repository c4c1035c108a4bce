//! The few calendar conversions AWS needs, without a date-time dependency.
//!
//! Times are `SystemTime`s; AWS writes them as `YYYYMMDDTHHMMSSZ` (SigV4),
//! RFC 3339 (credential expirations) and IMF-fixdate (the HTTP `Date` header).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// A UTC calendar time, to the second.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
}

impl Civil {
    fn to_system_time(self) -> Option<SystemTime> {
        if self.year < 1970 {
            return None;
        }
        let secs = self.to_epoch_seconds()?;
        Some(UNIX_EPOCH + Duration::from_secs(secs as u64))
    }

    /// Seconds since the epoch (negative before it), for years 1 to 9999.
    fn to_epoch_seconds(self) -> Option<i64> {
        let valid = (1..=9999).contains(&self.year)
            && (1..=12).contains(&self.month)
            && (1..=days_in_month(self.year, self.month)).contains(&self.day)
            && self.hour < 24
            && self.minute < 60
            && self.second < 61;
        if !valid {
            return None;
        }
        let days = days_from_civil(self.year, self.month, self.day);
        Some(days * 86_400 + i64::from(self.hour * 3600 + self.minute * 60 + self.second))
    }

    /// The calendar time of `secs` since the epoch, for years 1 to 9999.
    fn from_epoch_seconds(secs: i64) -> Option<Civil> {
        let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400) as u32);
        let (year, month, day) = civil_from_days(days);
        (1..=9999).contains(&year).then_some(Civil {
            year,
            month,
            day,
            hour: rem / 3600,
            minute: rem / 60 % 60,
            second: rem % 60,
        })
    }
}

/// Hinnant's `civil_from_days` for any day number (day 0 = 1970-01-01).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// RFC 3339 in UTC with the fraction of a second to the microsecond, as the
/// SDK writes it (`2026-11-28T20:15:45.5Z`); `None` outside years 1 to 9999.
pub(crate) fn format_rfc3339_nanos(time: crate::primitives::DateTime) -> Option<String> {
    let c = Civil::from_epoch_seconds(time.secs())?;
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        c.year, c.month, c.day, c.hour, c.minute, c.second
    );
    let micros = time.subsec_nanos() / 1000;
    if micros > 0 {
        let fraction = format!("{micros:06}");
        out.push('.');
        out.push_str(fraction.trim_end_matches('0'));
    }
    out.push('Z');
    Some(out)
}

/// The HTTP date (IMF-fixdate) of `secs`; `None` outside years 1 to 9999.
pub(crate) fn format_http_date(secs: i64) -> Option<String> {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let c = Civil::from_epoch_seconds(secs)?;
    let weekday = DAYS[secs.div_euclid(86_400).rem_euclid(7) as usize];
    Some(format!(
        "{weekday}, {:02} {} {:04} {:02}:{:02}:{:02} GMT",
        c.day,
        MONTHS[c.month as usize - 1],
        c.year,
        c.hour,
        c.minute,
        c.second
    ))
}

/// RFC 3339 (`2026-11-28T20:15:45.123456789Z`, `+hh:mm` offsets too) to the
/// nanosecond, years 1 to 9999.
pub(crate) fn parse_rfc3339_nanos(text: &str) -> Option<crate::primitives::DateTime> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 {
            return None;
        }
        nanos = read_digits(&tail[..digits])? * 10u32.pow(9 - digits as u32);
        rest = &tail[digits..];
    }
    let offset = offset_seconds(rest)?;
    let local = Civil {
        year: i64::from(read_digits(&b[0..4])?),
        month: read_digits(&b[5..7])?,
        day: read_digits(&b[8..10])?,
        hour: read_digits(&b[11..13])?,
        minute: read_digits(&b[14..16])?,
        second: read_digits(&b[17..19])?,
    }
    .to_epoch_seconds()?;
    Some(crate::primitives::DateTime::from_secs_and_nanos(
        local - offset,
        nanos,
    ))
}

/// `Z` or `+hh:mm`/`-hh:mm` as seconds east of UTC.
fn offset_seconds(rest: &[u8]) -> Option<i64> {
    match rest {
        b"Z" | b"z" => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = i64::from(read_digits(&[*h1, *h2])?);
            let m = i64::from(read_digits(&[*m1, *m2])?);
            let secs = h * 3600 + m * 60;
            Some(if *sign == b'+' { secs } else { -secs })
        }
        _ => None,
    }
}

/// Writes `time` as SigV4's `YYYYMMDDTHHMMSSZ` into 16 ASCII bytes.
///
/// On the signing hot path: unsigned arithmetic only.
pub(crate) fn amz_date(time: SystemTime) -> [u8; 16] {
    let secs = time
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
        .min(253_402_300_799);
    let (days, rem) = ((secs / 86_400) as u32, (secs % 86_400) as u32);
    // Howard Hinnant's `civil_from_days`, for days >= 0 in u32 (enough for year 9999).
    let z = days + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + u32::from(month <= 2);
    let mut out = *b"00000000T000000Z";
    let fields = [
        (0, year / 100),
        (2, year % 100),
        (4, month),
        (6, day),
        (9, rem / 3600),
        (11, rem / 60 % 60),
        (13, rem % 60),
    ];
    for (at, value) in fields {
        out[at] = b'0' + (value / 10) as u8;
        out[at + 1] = b'0' + (value % 10) as u8;
    }
    out
}

/// `time` moved by a signed number of seconds (a clock-skew correction).
pub(crate) fn shifted(time: SystemTime, offset_secs: i64) -> SystemTime {
    let delta = Duration::from_secs(offset_secs.unsigned_abs());
    if offset_secs >= 0 {
        time.checked_add(delta).unwrap_or(time)
    } else {
        time.checked_sub(delta).unwrap_or(UNIX_EPOCH)
    }
}

/// Writes a time as RFC 3339 in UTC, whole seconds: `2026-11-28T01:00:00Z`.
pub(crate) fn format_rfc3339(time: SystemTime) -> String {
    let t = amz_date(time); // YYYYMMDDTHHMMSSZ, ASCII
    let part = |range: std::ops::Range<usize>| String::from_utf8_lossy(&t[range]).into_owned();
    format!(
        "{}-{}-{}T{}:{}:{}Z",
        part(0..4),
        part(4..6),
        part(6..8),
        part(9..11),
        part(11..13),
        part(13..15)
    )
}

/// Reads a SigV4 time, `YYYYMMDDTHHMMSSZ` (the `X-Amz-Date` header's form).
pub fn parse_amz_date(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() != 16 || b[8] != b'T' || b[15] != b'Z' {
        return None;
    }
    Civil {
        year: i64::from(read_digits(&b[0..4])?),
        month: read_digits(&b[4..6])?,
        day: read_digits(&b[6..8])?,
        hour: read_digits(&b[9..11])?,
        minute: read_digits(&b[11..13])?,
        second: read_digits(&b[13..15])?,
    }
    .to_system_time()
}

/// Reads RFC 3339 UTC times such as `2015-08-30T12:36:00Z` (fractional seconds
/// ignored, `+00:00` accepted), the form AWS uses for credential expirations.
pub(crate) fn parse_rfc3339(text: &str) -> Option<SystemTime> {
    let b = text.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't' | b' ') {
        return None;
    }
    if b[13] != b':' || b[16] != b':' {
        return None;
    }
    let mut rest = &b[19..];
    if let [b'.', tail @ ..] = rest {
        let digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        rest = &tail[digits..];
    }
    let offset_secs = offset_seconds(rest)?;
    let local = Civil {
        year: i64::from(read_digits(&b[0..4])?),
        month: read_digits(&b[5..7])?,
        day: read_digits(&b[8..10])?,
        hour: read_digits(&b[11..13])?,
        minute: read_digits(&b[14..16])?,
        second: read_digits(&b[17..19])?,
    }
    .to_system_time()?;
    let shift = Duration::from_secs(offset_secs.unsigned_abs());
    if offset_secs >= 0 {
        local.checked_sub(shift)
    } else {
        local.checked_add(shift)
    }
}

/// Reads the HTTP `Date` header's IMF-fixdate, e.g. `Sun, 06 Nov 1994 08:49:37 GMT`.
pub(crate) fn parse_http_date(text: &str) -> Option<SystemTime> {
    let b = text.trim().as_bytes();
    if b.len() != 29 || &b[3..5] != b", " || &b[25..] != b" GMT" {
        return None;
    }
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    let month = MONTHS.iter().position(|m| *m == &b[8..11])? as u32 + 1;
    if b[7] != b' ' || b[11] != b' ' || b[16] != b' ' || b[19] != b':' || b[22] != b':' {
        return None;
    }
    Civil {
        year: i64::from(read_digits(&b[12..16])?),
        month,
        day: read_digits(&b[5..7])?,
        hour: read_digits(&b[17..19])?,
        minute: read_digits(&b[20..22])?,
        second: read_digits(&b[23..25])?,
    }
    .to_system_time()
}

fn read_digits(digits: &[u8]) -> Option<u32> {
    digits.iter().try_fold(0u32, |acc, &d| {
        d.is_ascii_digit().then(|| acc * 10 + u32::from(d - b'0'))
    })
}

fn is_leap(year: i64) -> bool {
    year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
}

fn days_in_month(year: i64, month: u32) -> u32 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

// Howard Hinnant's `days_from_civil`: exact for the proleptic Gregorian
// calendar, with day 0 = 1970-01-01.
fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((month + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(secs)
    }

    #[test]
    fn formats_the_suite_time() {
        assert_eq!(&amz_date(at(1_440_938_160)), b"20150830T123600Z");
        assert_eq!(&amz_date(at(0)), b"19700101T000000Z");
        // Leap day and the last second of a year.
        assert_eq!(&amz_date(at(951_782_400)), b"20000229T000000Z");
        assert_eq!(&amz_date(at(1_704_067_199)), b"20231231T235959Z");
    }

    #[test]
    fn amz_date_round_trips_across_many_days() {
        for day in (0..40_000u64).step_by(37) {
            let t = at(day * 86_400 + 45_296);
            let text = amz_date(t);
            assert_eq!(parse_amz_date(std::str::from_utf8(&text).unwrap()), Some(t));
        }
    }

    #[test]
    fn rejects_malformed_amz_dates() {
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "20151330T123600Z",
            "20150230T123600Z",
            "2015083xT123600Z",
        ] {
            assert_eq!(parse_amz_date(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn rfc3339_round_trips() {
        let time = at(1_795_827_440);
        assert_eq!(format_rfc3339(time), "2026-11-28T00:57:20Z");
        assert_eq!(parse_rfc3339(&format_rfc3339(time)), Some(time));
    }

    #[test]
    fn parses_rfc3339_with_fractions_and_offsets() {
        let t = at(1_440_938_160);
        assert_eq!(parse_rfc3339("2015-08-30T12:36:00Z"), Some(t));
        assert_eq!(parse_rfc3339("2015-08-30T12:36:00.123Z"), Some(t));
        assert_eq!(parse_rfc3339("2015-08-30T14:36:00+02:00"), Some(t));
        assert_eq!(parse_rfc3339("2015-08-30T11:36:00-01:00"), Some(t));
        assert_eq!(parse_rfc3339("2015-08-30T12:36:00"), None);
        assert_eq!(parse_rfc3339("yesterday"), None);
    }

    #[test]
    fn parses_http_dates() {
        assert_eq!(
            parse_http_date("Sun, 30 Aug 2015 12:36:00 GMT"),
            Some(at(1_440_938_160))
        );
        assert_eq!(parse_http_date("Sun, 30 Foo 2015 12:36:00 GMT"), None);
        assert_eq!(parse_http_date("30 Aug 2015 12:36:00"), None);
    }
}
