//! Borrowed text from the wire: bytes that are usually, but not always, UTF-8.

use std::fmt;

/// A borrowed slice of the message, shown as text.
///
/// SIP is mostly ASCII, but display names, reason phrases and unknown headers may hold any
/// bytes. `Text` keeps the exact bytes, compares with `&str` easily and prints lossily, so
/// higher layers never have to choose between `&[u8]` and `&str`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct Text<'a>(pub &'a [u8]);

impl<'a> Text<'a> {
    /// The raw bytes.
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.0
    }

    /// The text as `&str` when it is valid UTF-8.
    pub fn to_str(&self) -> Option<&'a str> {
        std::str::from_utf8(self.0).ok()
    }

    /// The text, with invalid UTF-8 replaced.
    pub fn to_string_lossy(&self) -> std::borrow::Cow<'a, str> {
        // Valid text (nearly all of it) is checked by the faster validator first.
        match std::str::from_utf8(self.0) {
            Ok(text) => std::borrow::Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(self.0),
        }
    }

    /// Case-insensitive ASCII comparison (for tokens such as parameter names).
    pub fn eq_ignore_case(&self, other: &str) -> bool {
        self.0.eq_ignore_ascii_case(other.as_bytes())
    }

    /// Length in bytes.
    pub const fn len(&self) -> usize {
        self.0.len()
    }

    /// True when empty.
    pub const fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The text without one pair of surrounding double quotes, if it has them.
    ///
    /// Escapes (`\"`) are left as written; the bytes stay borrowed.
    pub fn unquoted(&self) -> Text<'a> {
        match self.0 {
            [b'"', inner @ .., b'"'] => Text(inner),
            other => Text(other),
        }
    }
}

impl fmt::Debug for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.to_string_lossy(), f)
    }
}

impl fmt::Display for Text<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_string_lossy())
    }
}

impl PartialEq<str> for Text<'_> {
    fn eq(&self, other: &str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<&str> for Text<'_> {
    fn eq(&self, other: &&str) -> bool {
        self.0 == other.as_bytes()
    }
}

impl PartialEq<[u8]> for Text<'_> {
    fn eq(&self, other: &[u8]) -> bool {
        self.0 == other
    }
}

impl<'a> From<&'a [u8]> for Text<'a> {
    fn from(b: &'a [u8]) -> Self {
        Text(b)
    }
}

impl<'a> From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text(s.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_and_unquotes() {
        let t = Text(b"\"auth\"");
        assert_eq!(t.unquoted(), "auth");
        assert!(Text(b"TAG").eq_ignore_case("tag"));
        assert_eq!(Text(b"\xff").to_str(), None);
    }
}
