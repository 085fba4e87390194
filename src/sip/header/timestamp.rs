//! Timestamp: when the client sent the request, echoed to measure round trips.

use crate::sip::error::{Error, IResult, complete, expected};
use crate::sip::lexical::sws;
use crate::sip::text::Text;

/// A Timestamp value: `54.2 0.5` (time, then optional delay).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Timestamp<'a> {
    /// The time as written.
    pub time: Text<'a>,
    /// The delay added by the responder, as written.
    pub delay: Option<Text<'a>>,
}

impl<'a> Timestamp<'a> {
    /// Parses a Timestamp value.
    pub fn from_slice(i: &'a [u8]) -> Result<Timestamp<'a>, Error> {
        complete(i, "a timestamp", |i| {
            let (r, time) = decimal(sws(i))?;
            let d = sws(r);
            if d.is_empty() {
                return Ok((
                    d,
                    Timestamp {
                        time: Text(time),
                        delay: None,
                    },
                ));
            }
            if d.len() == r.len() {
                return expected(r, "white space before the delay");
            }
            let (r, delay) = decimal(d)?;
            Ok((
                sws(r),
                Timestamp {
                    time: Text(time),
                    delay: Some(Text(delay)),
                },
            ))
        })
    }

    /// The time as a number.
    pub fn seconds(&self) -> Option<f64> {
        self.time.to_str()?.parse().ok()
    }
}

/// `1*DIGIT [ "." *DIGIT ]`
fn decimal(i: &[u8]) -> IResult<'_, &[u8]> {
    let n = i.iter().take_while(|b| b.is_ascii_digit()).count();
    if n == 0 {
        return expected(i, "a number");
    }
    let mut end = n;
    if i.get(n) == Some(&b'.') {
        end = n
            + 1
            + i.get(n + 1..)
                .unwrap_or_default()
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
    }
    let (v, r) = i.split_at(end.min(i.len()));
    Ok((r, v))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let t = Timestamp::from_slice(b"54.2 0.5").unwrap();
        assert_eq!(t.time, "54.2");
        assert_eq!(t.delay.unwrap(), "0.5");
        assert_eq!(
            Timestamp::from_slice(b"100").unwrap().seconds(),
            Some(100.0)
        );
        assert!(Timestamp::from_slice(b"x").is_err());
    }
}
