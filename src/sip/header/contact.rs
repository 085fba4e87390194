//! Contact: where the sender can be reached directly, or `*` to remove every binding.

use crate::sip::error::IResult;
use crate::sip::lexical::sws;
use crate::sip::name_addr::{NameAddr, parse_name_addr};
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;

use super::list::List;

/// One Contact value.
///
/// Values are short-lived stack values, so the size difference between the variants is
/// accepted rather than boxing the address.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Contact<'a> {
    /// `*` (REGISTER with Expires: 0 removes all bindings), with its parameters.
    Wildcard {
        /// Parameters after `*` (normally none).
        params: Params<'a>,
        /// Where it sits in the buffer it was parsed from.
        span: Span,
    },
    /// An address.
    Address(NameAddr<'a>),
}

impl<'a> Contact<'a> {
    /// The values of a Contact header line; spans and errors measured from `base`.
    pub fn list(base: &'a [u8], value: &'a [u8]) -> List<'a, Contact<'a>> {
        List::new(base, value, parse_contact)
    }

    /// The address, unless this is the wildcard.
    pub fn address(&self) -> Option<&NameAddr<'a>> {
        match self {
            Contact::Address(a) => Some(a),
            Contact::Wildcard { .. } => None,
        }
    }

    /// True for `*`.
    pub fn is_wildcard(&self) -> bool {
        matches!(self, Contact::Wildcard { .. })
    }
}

/// Parses `STAR` or one `(name-addr / addr-spec) *( SEMI contact-params )`.
pub fn parse_contact<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Contact<'a>> {
    let start = sws(i);
    if let Some((b'*', r)) = start.split_first() {
        let (r, params) = header_params(base, r)?;
        let raw = start.get(..start.len() - r.len()).unwrap_or_default();
        return Ok((
            r,
            Contact::Wildcard {
                params,
                span: Span::of(base, raw),
            },
        ));
    }
    let (r, a) = parse_name_addr(base, start)?;
    Ok((r, Contact::Address(a)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn list_and_star() {
        let v: &[u8] = b"\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n  secondparam ; q = 0.33";
        let c: Vec<_> = Contact::list(v, v).map(Result::unwrap).collect();
        assert_eq!(c.len(), 1);
        let a = c[0].address().unwrap();
        assert_eq!(a.params.value("newparam").unwrap().unwrap(), "newvalue");
        assert_eq!(a.params.value("secondparam"), Some(None));
        assert_eq!(a.q(), Some(0.33));
        let v: &[u8] = b"*";
        assert!(Contact::list(v, v).next().unwrap().unwrap().is_wildcard());
        let v: &[u8] = b"<sip:a@b>, sip:c@d;expires=0";
        assert_eq!(Contact::list(v, v).filter(Result::is_ok).count(), 2);
    }
}
