//! Date: when the message was sent, in RFC 1123 form and always GMT (RFC 3261 §20.17).

use crate::sip::error::{Error, IResult, complete, expected};
use crate::sip::lexical::{number_max, sws};
use crate::sip::text::Text;

const MONTHS: [&[u8]; 12] = [
    b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov", b"Dec",
];
const DAYS: [&[u8]; 7] = [b"Mon", b"Tue", b"Wed", b"Thu", b"Fri", b"Sat", b"Sun"];

/// A Date value: `Sun, 27 Jul 2014 17:20:49 GMT`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SipDate<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Day of the week as written (`Sun`).
    pub weekday: Text<'a>,
    /// Day of the month (1..=31).
    pub day: u8,
    /// Month (1..=12).
    pub month: u8,
    /// Year.
    pub year: u16,
    /// Hour (0..=23).
    pub hour: u8,
    /// Minute (0..=59).
    pub minute: u8,
    /// Second (0..=60, leap second allowed).
    pub second: u8,
}

impl<'a> SipDate<'a> {
    /// Parses a Date value; any zone but `GMT` is an error.
    pub fn from_slice(i: &'a [u8]) -> Result<SipDate<'a>, Error> {
        complete(i, "a date", |i| {
            let (r, d) = parse_date(i)?;
            Ok((sws(r), d))
        })
    }
}

fn lit<'a>(i: &'a [u8], s: &'static [u8], what: &'static str) -> IResult<'a, ()> {
    match i.strip_prefix(s) {
        Some(r) => Ok((r, ())),
        None => expected(i, what),
    }
}

fn two<'a>(i: &'a [u8], max: u64, what: &'static str) -> IResult<'a, u8> {
    if i.iter().take(2).filter(|b| b.is_ascii_digit()).count() != 2 {
        return expected(i, what);
    }
    let (r, v) = number_max(i.get(..2).unwrap_or_default(), max, what)?;
    debug_assert!(r.is_empty());
    Ok((i.get(2..).unwrap_or_default(), v as u8))
}

/// Parses `wkday "," SP date1 SP time SP "GMT"`.
pub fn parse_date(i: &[u8]) -> IResult<'_, SipDate<'_>> {
    let start = sws(i);
    let wk = start.get(..3).unwrap_or_default();
    if !DAYS.contains(&wk) {
        return expected(start, "a day of the week (Mon..Sun)");
    }
    let (r, ()) = lit(
        start.get(3..).unwrap_or_default(),
        b", ",
        "a comma and a space",
    )?;
    let (r, day) = two(r, 31, "a two-digit day")?;
    let (r, ()) = lit(r, b" ", "a space")?;
    let m = r.get(..3).unwrap_or_default();
    let Some(month) = MONTHS.iter().position(|x| *x == m) else {
        return expected(r, "a month (Jan..Dec)");
    };
    let (r, ()) = lit(r.get(3..).unwrap_or_default(), b" ", "a space")?;
    if r.iter().take(4).filter(|b| b.is_ascii_digit()).count() != 4 {
        return expected(r, "a four-digit year");
    }
    let (_, year) = number_max(r.get(..4).unwrap_or_default(), 9999, "a year")?;
    let r = r.get(4..).unwrap_or_default();
    let (r, ()) = lit(r, b" ", "a space")?;
    let (r, hour) = two(r, 23, "an hour")?;
    let (r, ()) = lit(r, b":", "a colon")?;
    let (r, minute) = two(r, 59, "minutes")?;
    let (r, ()) = lit(r, b":", "a colon")?;
    let (r, second) = two(r, 60, "seconds")?;
    let (r, ()) = lit(r, b" GMT", "the GMT time zone")?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        SipDate {
            raw: Text(raw),
            weekday: Text(wk),
            day,
            month: month as u8 + 1,
            year: year as u16,
            hour,
            minute,
            second,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let d = SipDate::from_slice(b"Sun, 27 Jul 2014 17:20:49 GMT").unwrap();
        assert_eq!(
            (d.day, d.month, d.year, d.hour, d.minute, d.second),
            (27, 7, 2014, 17, 20, 49)
        );
        assert!(SipDate::from_slice(b"Fri, 01 Jan 2010 16:00:00 EST").is_err());
        assert!(SipDate::from_slice(b"Xyz, 01 Jan 2010 16:00:00 GMT").is_err());
    }
}
