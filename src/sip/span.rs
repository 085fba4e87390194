//! Byte spans: where a piece of a message sits in the buffer it was parsed from.

use serde::Serialize;

/// A half-open byte range `start..end` into the buffer a value was parsed from.
///
/// Spans let the explain and render layers point at the exact bytes of a header or parameter
/// without copying them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// A span from `start` to `end`.
    pub const fn new(start: usize, end: usize) -> Self {
        Span { start, end }
    }

    /// Where `part` sits inside `base`, when `part` is a sub-slice of `base`.
    ///
    /// Computed from the slices' addresses, so it costs nothing to keep spans on every typed
    /// value. A slice that is not inside `base` gets an empty span at 0.
    pub fn of(base: &[u8], part: &[u8]) -> Self {
        let b = base.as_ptr() as usize;
        let p = part.as_ptr() as usize;
        match p.checked_sub(b) {
            Some(start) if start.saturating_add(part.len()) <= base.len() => Span {
                start,
                end: start + part.len(),
            },
            _ => Span::default(),
        }
    }

    /// Number of bytes covered.
    pub const fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no byte.
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The span moved `by` bytes to the right.
    pub const fn shifted(self, by: usize) -> Self {
        Span {
            start: self.start.saturating_add(by),
            end: self.end.saturating_add(by),
        }
    }

    /// The bytes of `buf` this span covers, if it fits.
    pub fn slice<'a>(&self, buf: &'a [u8]) -> Option<&'a [u8]> {
        buf.get(self.start..self.end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn of_sub_slice() {
        let buf = b"hello world";
        let part = buf.get(6..).unwrap();
        assert_eq!(Span::of(buf, part), Span::new(6, 11));
        assert_eq!(Span::of(buf, b"other"), Span::default());
    }
}
