//! Headers whose value is one integer: Max-Forwards, Content-Length, Expires, Min-Expires and
//! RSeq. Each has its own range; a value outside it is an error, never a wrapped number.

use crate::sip::error::{Error, complete};
use crate::sip::lexical::{number_max, sws};

fn parse(i: &[u8], max: u64, what: &'static str) -> Result<u64, Error> {
    complete(i, what, |i| {
        let (r, v) = number_max(sws(i), max, what)?;
        Ok((sws(r), v))
    })
}

/// Max-Forwards: how many more hops the request may take (0..=255).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MaxForwards(pub u8);

impl MaxForwards {
    /// Parses a Max-Forwards value (leading zeros allowed, `0068` is 68).
    pub fn from_slice(i: &[u8]) -> Result<Self, Error> {
        parse(i, 255, "a Max-Forwards value (0 to 255)").map(|v| MaxForwards(v as u8))
    }
}

/// Content-Length: size of the body in bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ContentLength(pub u64);

impl ContentLength {
    /// Parses a Content-Length value; negative or non-numeric values are errors.
    pub fn from_slice(i: &[u8]) -> Result<Self, Error> {
        parse(i, u64::from(u32::MAX), "a Content-Length value").map(ContentLength)
    }
}

/// Expires (and Min-Expires): a delay in seconds (0..=2^32-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Expires(pub u32);

impl Expires {
    /// Parses an Expires or Min-Expires value.
    pub fn from_slice(i: &[u8]) -> Result<Self, Error> {
        parse(i, u64::from(u32::MAX), "an Expires value (seconds)").map(|v| Expires(v as u32))
    }
}

/// RSeq (RFC 3262): sequence number of a reliable provisional response (1..=2^31-1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RSeq(pub u32);

impl RSeq {
    /// Parses an RSeq value.
    pub fn from_slice(i: &[u8]) -> Result<Self, Error> {
        parse(i, (1 << 31) - 1, "an RSeq value").map(|v| RSeq(v as u32))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges() {
        assert_eq!(MaxForwards::from_slice(b"0068").unwrap(), MaxForwards(68));
        assert!(MaxForwards::from_slice(b"300").is_err());
        assert_eq!(
            ContentLength::from_slice(b" 150 ").unwrap(),
            ContentLength(150)
        );
        assert!(ContentLength::from_slice(b"-999").is_err());
        assert!(ContentLength::from_slice(b"five").is_err());
        assert!(Expires::from_slice(b"10000000000000000000000").is_err());
        assert_eq!(Expires::from_slice(b"60").unwrap(), Expires(60));
        assert_eq!(RSeq::from_slice(b"988789").unwrap(), RSeq(988789));
    }
}
