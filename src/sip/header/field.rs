//! One header field of a message: its name, its raw value and where both sit.

use crate::sip::span::Span;
use crate::sip::text::Text;

use super::list::{SplitValues, split_values};
use super::name::HeaderName;

/// A header field as found in the message, value kept raw (folding included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header<'a> {
    /// The recognised name (compact forms map to the long one).
    pub name: HeaderName<'a>,
    /// The name exactly as written (`v`, `MaX-fOrWaRdS`).
    pub raw_name: Text<'a>,
    /// The value, trimmed of surrounding white space; folded lines keep their CRLF.
    pub value: &'a [u8],
    /// The whole field, name to end of value (without the final line break).
    pub span: Span,
    /// The value alone.
    pub value_span: Span,
}

impl<'a> Header<'a> {
    /// The value as text.
    pub fn text(&self) -> Text<'a> {
        Text(self.value)
    }

    /// The value split on top-level commas (for list headers such as Allow or Route).
    pub fn items(&self) -> SplitValues<'a> {
        split_values(self.value)
    }
}
