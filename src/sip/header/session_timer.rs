//! Session timers (RFC 4028): Session-Expires and Min-SE, a delay plus parameters.

use crate::sip::error::{Error, IResult, complete_in};
use crate::sip::lexical::{number_max, sws};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

/// A Session-Expires or Min-SE value: `1800;refresher=uac`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SessionTimer<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The interval in seconds.
    pub delta: u32,
    /// Parameters (`refresher`).
    pub params: Params<'a>,
}

/// Session-Expires: the session refresh interval.
pub type SessionExpires<'a> = SessionTimer<'a>;
/// Min-SE: the smallest interval the sender accepts.
pub type MinSe<'a> = SessionTimer<'a>;

impl<'a> SessionTimer<'a> {
    /// Parses a Session-Expires or Min-SE value.
    pub fn from_slice(i: &'a [u8]) -> Result<SessionTimer<'a>, Error> {
        complete_in(i, i, "a session interval", parse_session_timer)
    }

    /// The `refresher` parameter: `uac` or `uas`.
    pub fn refresher(&self) -> Option<Text<'a>> {
        self.params.value("refresher").flatten()
    }
}

/// Parses `delta-seconds *( SEMI generic-param )`; spans from `base`.
pub fn parse_session_timer<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, SessionTimer<'a>> {
    let start = sws(i);
    let (r, delta) = number_max(start, u64::from(u32::MAX), "an interval in seconds")?;
    let (r, params) = header_params(base, r)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((
        r,
        SessionTimer {
            raw: Text(raw),
            span: Span::of(base, raw),
            delta: delta as u32,
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let s = SessionTimer::from_slice(b"1800;refresher=uac").unwrap();
        assert_eq!(s.delta, 1800);
        assert_eq!(s.refresher().unwrap(), "uac");
        assert_eq!(SessionTimer::from_slice(b"90").unwrap().delta, 90);
        assert!(SessionTimer::from_slice(b"uac").is_err());
    }
}
