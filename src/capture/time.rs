//! Capture timestamps, kept as nanoseconds since the Unix epoch so that files of different
//! resolutions (pcap micro/nanoseconds, pcapng `if_tsresol`) merge and compare exactly.

use std::fmt;

/// A packet timestamp: nanoseconds since 1970-01-01T00:00:00Z (may be negative on broken clocks).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// Builds a timestamp from seconds and a fraction counted in `units_per_second`.
    /// Saturates instead of overflowing on absurd values from damaged files.
    pub fn from_parts(seconds: i64, fraction: u64, units_per_second: u64) -> Timestamp {
        // Microseconds and nanoseconds (nearly every capture) without a division per frame.
        let nanos_frac = match units_per_second {
            0 => 0,
            1_000_000 => i128::from(fraction) * 1000,
            1_000_000_000 => i128::from(fraction),
            _ => (u128::from(fraction) * 1_000_000_000 / u128::from(units_per_second)) as i128,
        };
        let total = i128::from(seconds) * 1_000_000_000 + nanos_frac;
        Timestamp(total.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64)
    }

    /// Builds a timestamp from a pcapng 64-bit count of `units_per_second` units since
    /// `offset_seconds`.
    pub fn from_units(units: u64, units_per_second: u64, offset_seconds: i64) -> Timestamp {
        if units_per_second == 0 {
            return Timestamp::from_parts(offset_seconds, 0, 1);
        }
        let seconds = (units / units_per_second) as i128 + i128::from(offset_seconds);
        let seconds = seconds.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64;
        Timestamp::from_parts(seconds, units % units_per_second, units_per_second)
    }

    /// Whole seconds since the epoch.
    pub fn seconds(self) -> i64 {
        self.0.div_euclid(1_000_000_000)
    }

    /// Nanoseconds within the second.
    pub fn subsec_nanos(self) -> u32 {
        self.0.rem_euclid(1_000_000_000) as u32
    }

    /// Reads an RFC 3339 date and time (`2026-11-25T19:11:10Z`, with optional fraction and
    /// offset; a space may stand for the `T`, and a missing offset means UTC).
    pub fn parse_rfc3339(text: &str) -> Option<Timestamp> {
        let text = text.trim();
        let (date, rest) = text.split_at_checked(10)?;
        let mut d = date.split('-');
        let year: i64 = d.next()?.parse().ok()?;
        let month: u32 = d.next()?.parse().ok()?;
        let day: u32 = d.next()?.parse().ok()?;
        if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
            return None;
        }
        let mut seconds = days_from_civil(year, month, day) * 86_400;
        let mut nanos: i64 = 0;
        let rest = rest.strip_prefix(['T', 't', ' ']).unwrap_or(rest);
        if !rest.is_empty() {
            let (clock, zone) = match rest.find(['Z', 'z', '+', '-']) {
                Some(i) => rest.split_at_checked(i)?,
                None => (rest, ""),
            };
            let (hms, frac) = clock.split_once('.').unwrap_or((clock, ""));
            let mut parts = hms.split(':');
            let h: i64 = parts.next()?.parse().ok()?;
            let m: i64 = parts.next().unwrap_or("0").parse().ok()?;
            let sec: i64 = parts.next().unwrap_or("0").parse().ok()?;
            if h > 23 || m > 59 || sec > 60 {
                return None;
            }
            seconds += h * 3600 + m * 60 + sec;
            if !frac.is_empty() {
                let digits: String = frac.chars().take(9).collect();
                let scale = 10i64.pow(9 - digits.len() as u32);
                nanos = digits.parse::<i64>().ok()? * scale;
            }
            if let Some(offset) = zone.strip_prefix(['+', '-']) {
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let (oh, om) = offset.split_once(':').unwrap_or((offset, "0"));
                let off = oh.parse::<i64>().ok()? * 3600 + om.parse::<i64>().ok()? * 60;
                seconds -= sign * off;
            }
        }
        Some(Timestamp(
            seconds.checked_mul(1_000_000_000)?.checked_add(nanos)?,
        ))
    }

    /// Signed distance to an earlier timestamp, in nanoseconds (saturating).
    pub fn nanos_since(self, earlier: Timestamp) -> i64 {
        self.0.saturating_sub(earlier.0)
    }
}

/// RFC 3339 in UTC with microseconds, e.g. `2026-11-25T19:08:54.123456Z`.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secs = self.seconds();
        let days = secs.div_euclid(86_400);
        let rem = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let (hh, mm, ss) = (rem / 3600, (rem % 3600) / 60, rem % 60);
        let micros = self.subsec_nanos() / 1000;
        // Digits placed by hand (nanoseconds in an i64 span the years 1677 to 2262): this runs
        // for every call and stream listed, and the formatting machinery took most of the time
        // of a long list.
        if let Ok(year @ 0..=9999) = u32::try_from(y) {
            let mut text = *b"0000-00-00T00:00:00.000000Z";
            let fields = [
                (0, 4, year),
                (5, 2, m),
                (8, 2, d),
                (11, 2, hh as u32),
                (14, 2, mm as u32),
                (17, 2, ss as u32),
                (20, 6, micros),
            ];
            for (at, width, mut value) in fields {
                for slot in text.iter_mut().skip(at).take(width).rev() {
                    *slot = b'0' + (value % 10) as u8;
                    value /= 10;
                }
            }
            return f.write_str(std::str::from_utf8(&text).map_err(|_| fmt::Error)?);
        }
        write!(
            f,
            "{y:04}-{m:02}-{d:02}T{hh:02}:{mm:02}:{ss:02}.{micros:06}Z"
        )
    }
}

/// Serialised as its RFC 3339 text, as the JSON contract writes times.
impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A proleptic Gregorian date to days since 1970-01-01; Howard Hinnant's algorithm.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = i64::from((m + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 to a proleptic Gregorian (year, month, day); Howard Hinnant's algorithm.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_rfc3339() {
        let ts = Timestamp::from_parts(1_406_481_649, 123_456, 1_000_000);
        assert_eq!(ts.to_string(), "2014-07-27T17:20:49.123456Z");
        assert_eq!(Timestamp(0).to_string(), "1970-01-01T00:00:00.000000Z");
        assert_eq!(Timestamp(-1).to_string(), "1969-12-31T23:59:59.999999Z");
    }

    proptest::proptest! {
        /// The digits placed by hand read as the formatting machinery writes them.
        #[test]
        fn fast_digits_match_the_formatter(nanos in proptest::num::i64::ANY) {
            let ts = Timestamp(nanos);
            let (secs, rem) = (ts.seconds(), ts.seconds().rem_euclid(86_400));
            let (y, m, d) = civil_from_days(secs.div_euclid(86_400));
            let expected = format!(
                "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{:06}Z",
                rem / 3600,
                (rem % 3600) / 60,
                rem % 60,
                ts.subsec_nanos() / 1000
            );
            proptest::prop_assert_eq!(ts.to_string(), expected);
        }
    }

    #[test]
    fn parses_what_it_prints() {
        for ts in [
            Timestamp(0),
            Timestamp(1_406_481_649_123_456_000),
            Timestamp(-1_000),
        ] {
            assert_eq!(Timestamp::parse_rfc3339(&ts.to_string()), Some(ts));
        }
        assert_eq!(
            Timestamp::parse_rfc3339("2014-07-27 19:20:49+02:00"),
            Timestamp::parse_rfc3339("2014-07-27T17:20:49Z")
        );
        assert_eq!(
            Timestamp::parse_rfc3339("2014-07-27"),
            Timestamp::parse_rfc3339("2014-07-27T00:00:00Z")
        );
        assert_eq!(Timestamp::parse_rfc3339("yesterday"), None);
        assert_eq!(Timestamp::parse_rfc3339("2014-13-01"), None);
    }

    #[test]
    fn units_and_resolutions_agree() {
        let micro = Timestamp::from_parts(10, 500_000, 1_000_000);
        let nano = Timestamp::from_units(10_500_000_000, 1_000_000_000, 0);
        assert_eq!(micro, nano);
        assert_eq!(Timestamp::from_units(u64::MAX, 1, i64::MAX).0, i64::MAX);
        assert_eq!(Timestamp::from_units(5, 0, 0), Timestamp(0));
    }
}
