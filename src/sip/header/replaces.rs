//! Replaces (RFC 3891): the dialog a new INVITE takes over (attended transfer, pickup).

use crate::sip::error::{Error, IResult, complete_in};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

use super::call_id::parse_call_id;

/// A Replaces value: `callid;to-tag=...;from-tag=...[;early-only]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Replaces<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The Call-ID of the replaced dialog.
    pub call_id: Text<'a>,
    /// Parameters (`to-tag`, `from-tag`, `early-only`).
    pub params: Params<'a>,
}

impl<'a> Replaces<'a> {
    /// Parses a Replaces value.
    pub fn from_slice(i: &'a [u8]) -> Result<Replaces<'a>, Error> {
        complete_in(i, i, "a Replaces value", parse_replaces)
    }

    /// The `to-tag` parameter.
    pub fn to_tag(&self) -> Option<Text<'a>> {
        self.params.value("to-tag").flatten()
    }

    /// The `from-tag` parameter.
    pub fn from_tag(&self) -> Option<Text<'a>> {
        self.params.value("from-tag").flatten()
    }

    /// True when `early-only` is present.
    pub fn early_only(&self) -> bool {
        self.params.contains("early-only")
    }
}

/// Parses `callid *( SEMI replaces-param )`; spans from `base`.
pub fn parse_replaces<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Replaces<'a>> {
    let (r, id) = parse_call_id(base, i)?;
    let (r, params) = header_params(base, r)?;
    let start = base.get(id.span.start..).unwrap_or_default();
    let raw = start
        .get(..start.len().saturating_sub(r.len()))
        .unwrap_or_default();
    Ok((
        r,
        Replaces {
            raw: Text(raw),
            span: Span::of(base, raw),
            call_id: id.value,
            params,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let r = Replaces::from_slice(
            b"425928@bobster.example.org;to-tag=7743;from-tag=6472;early-only",
        )
        .unwrap();
        assert_eq!(r.call_id, "425928@bobster.example.org");
        assert_eq!(r.to_tag().unwrap(), "7743");
        assert_eq!(r.from_tag().unwrap(), "6472");
        assert!(r.early_only());
        assert_eq!(r.raw.len(), 63);
    }
}
