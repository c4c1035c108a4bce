//! Time as the fake sees it, and the HTTP `Date` header's form of it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub(crate) use appflow_lite::sigv4::format_amz_date as amz_date;

/// The HTTP `Date` header's IMF-fixdate, e.g. `Sun, 30 Aug 2015 12:36:00 GMT`.
pub(crate) fn http_date(time: SystemTime) -> String {
    const WEEKDAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let days = time
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs()
        / 86_400;
    let amz = amz_date(time); // YYYYMMDDTHHMMSSZ
    let month: usize = amz.get(4..6).and_then(|m| m.parse().ok()).unwrap_or(1);
    format!(
        "{}, {} {} {} {}:{}:{} GMT",
        WEEKDAYS[(days % 7) as usize],
        &amz[6..8],
        MONTHS[(month + 11) % 12],
        &amz[0..4],
        &amz[9..11],
        &amz[11..13],
        &amz[13..15]
    )
}

/// `time` moved by a signed number of seconds.
pub(crate) fn shifted(time: SystemTime, offset_secs: i64) -> SystemTime {
    let delta = Duration::from_secs(offset_secs.unsigned_abs());
    let moved = if offset_secs >= 0 {
        time.checked_add(delta)
    } else {
        time.checked_sub(delta)
    };
    // An offset beyond what the clock can hold pins it to the epoch (a
    // clock nobody trusts) instead of panicking in every handler.
    moved.filter(|t| *t >= UNIX_EPOCH).unwrap_or(UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    #[test]
    fn absurd_offsets_do_not_panic() {
        let now = std::time::SystemTime::now();
        assert_eq!(super::shifted(now, i64::MAX), std::time::UNIX_EPOCH);
        assert_eq!(super::shifted(now, i64::MIN), std::time::UNIX_EPOCH);
        assert_eq!(
            super::shifted(std::time::UNIX_EPOCH, 60)
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs(),
            60
        );
    }

    use super::*;

    #[test]
    fn http_dates_name_the_right_weekday() {
        let t = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(http_date(t), "Sun, 30 Aug 2015 12:36:00 GMT");
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(shifted(t, -60) + Duration::from_secs(60), t);
    }
}
