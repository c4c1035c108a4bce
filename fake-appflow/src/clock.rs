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
    let month: usize = amz[4..6].parse().expect("two digits");
    format!(
        "{}, {} {} {} {}:{}:{} GMT",
        WEEKDAYS[(days % 7) as usize],
        &amz[6..8],
        MONTHS[month - 1],
        &amz[0..4],
        &amz[9..11],
        &amz[11..13],
        &amz[13..15]
    )
}

/// `time` moved by a signed number of seconds.
pub(crate) fn shifted(time: SystemTime, offset_secs: i64) -> SystemTime {
    let delta = Duration::from_secs(offset_secs.unsigned_abs());
    if offset_secs >= 0 {
        time + delta
    } else {
        time - delta
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_dates_name_the_right_weekday() {
        let t = UNIX_EPOCH + Duration::from_secs(1_440_938_160);
        assert_eq!(http_date(t), "Sun, 30 Aug 2015 12:36:00 GMT");
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(shifted(t, -60) + Duration::from_secs(60), t);
    }
}
