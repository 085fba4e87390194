//! Comma-separated header values: `Via: a, b` is two Via values.
//!
//! [`List`] parses the items of a typed list header one at a time, without allocating;
//! [`split_values`] splits any list header on the commas that are not inside a quoted string
//! or `<...>`, for headers read without a typed parser.

use crate::sip::error::{Error, ErrorKind, IResult};
use crate::sip::lexical::{sws, trim};

/// Parser of one list item: `(base, input) -> IResult<item>`, spans measured from `base`.
pub type ItemParser<'a, T> = fn(&'a [u8], &'a [u8]) -> IResult<'a, T>;

/// Iterator over the items of one header value. Yields `Err` once, then stops, at the first
/// item that does not parse or at a missing comma.
#[derive(Debug, Clone)]
pub struct List<'a, T> {
    base: &'a [u8],
    value: &'a [u8],
    rest: &'a [u8],
    first: bool,
    done: bool,
    item: ItemParser<'a, T>,
}

impl<'a, T> List<'a, T> {
    /// Items of `value` (a sub-slice of `base`) parsed with `item`.
    pub fn new(base: &'a [u8], value: &'a [u8], item: ItemParser<'a, T>) -> Self {
        List {
            base,
            value,
            rest: value,
            first: true,
            done: false,
            item,
        }
    }

    fn fail(&mut self, e: Error) -> Option<Result<T, Error>> {
        self.done = true;
        Some(Err(e.located_in(self.base, self.value)))
    }
}

impl<'a, T> Iterator for List<'a, T> {
    type Item = Result<T, Error>;

    fn next(&mut self) -> Option<Result<T, Error>> {
        if self.done {
            return None;
        }
        let i = sws(self.rest);
        if self.first && i.is_empty() {
            self.done = true;
            return None;
        }
        self.first = false;
        match (self.item)(self.base, i) {
            Ok((r, item)) => {
                let r = sws(r);
                match r.split_first() {
                    None => self.done = true,
                    Some((b',', tail)) => self.rest = tail,
                    Some(_) => {
                        // Report the item now, and the stray bytes on the next call.
                        self.rest = r;
                        self.item = trailing;
                    }
                }
                Some(Ok(item))
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => self.fail(e),
            Err(nom::Err::Incomplete(_)) => self.fail(Error::at_remaining(
                ErrorKind::Expected("a header value"),
                i,
            )),
        }
    }
}

/// Item parser installed after garbage was found behind an item: always fails there.
fn trailing<'a, T>(_base: &'a [u8], i: &'a [u8]) -> IResult<'a, T> {
    Err(nom::Err::Error(Error::at_remaining(
        ErrorKind::Expected("a comma or the end of the header"),
        i,
    )))
}

/// Splits a header value on top-level commas (outside quoted strings and `<...>`), trimming
/// white space. Empty items are skipped.
pub fn split_values(value: &[u8]) -> SplitValues<'_> {
    SplitValues { rest: value }
}

/// Iterator returned by [`split_values`].
#[derive(Debug, Clone)]
pub struct SplitValues<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for SplitValues<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let cut = top_level_comma(self.rest).unwrap_or(self.rest.len());
            let item = self.rest.get(..cut).unwrap_or_default();
            self.rest = self.rest.get(cut + 1..).unwrap_or_default();
            let item = trim(item);
            if !item.is_empty() {
                return Some(item);
            }
        }
    }
}

/// The first comma outside quoted strings (where a backslash escapes the next byte) and
/// outside `<...>`. Jumps from one byte that matters to the next: this runs over every Via
/// and Contact value of every message.
fn top_level_comma(value: &[u8]) -> Option<usize> {
    let mut pos = 0;
    let mut angle = false;
    loop {
        let rest = value.get(pos..)?;
        let found = if angle {
            memchr::memchr2(b'"', b'>', rest)
        } else {
            memchr::memchr3(b',', b'"', b'<', rest)
        };
        let at = pos + found?;
        match value.get(at) {
            Some(b',') => return Some(at),
            Some(b'<') => angle = true,
            Some(b'>') => angle = false,
            _ => {
                // A quoted string: to its closing quote, over escaped bytes.
                let mut q = at + 1;
                loop {
                    let rest = value.get(q..)?;
                    let end = q + memchr::memchr2(b'"', b'\\', rest)?;
                    if value.get(end) == Some(&b'"') {
                        q = end;
                        break;
                    }
                    q = end + 2;
                }
                pos = q + 1;
                continue;
            }
        }
        pos = at + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sip::lexical::token;

    fn tok<'a>(_b: &'a [u8], i: &'a [u8]) -> IResult<'a, &'a [u8]> {
        token(i)
    }

    /// The splitter as first written, one byte at a time: the reference for the jumping one.
    fn comma_byte_by_byte(value: &[u8]) -> Option<usize> {
        let (mut quoted, mut angle, mut escape) = (false, false, false);
        for (pos, b) in value.iter().enumerate() {
            if escape {
                escape = false;
                continue;
            }
            match b {
                b'\\' if quoted => escape = true,
                b'"' => quoted = !quoted,
                b'<' if !quoted => angle = true,
                b'>' if !quoted => angle = false,
                b',' if !quoted && !angle => return Some(pos),
                _ => {}
            }
        }
        None
    }

    proptest::proptest! {
        #[test]
        fn jumping_finds_the_same_comma(value in proptest::collection::vec(
            proptest::sample::select(&b"ab ,<>\"\\;="[..]), 0..40)
        ) {
            proptest::prop_assert_eq!(top_level_comma(&value), comma_byte_by_byte(&value));
        }
    }

    #[test]
    fn commas_inside_quotes_and_brackets_do_not_split() {
        let v = br#""Doe, \"J\"" <sip:a,b@x>;q=1, <sip:c@y>, "unterminated, "#;
        let items: Vec<_> = split_values(v).collect();
        assert_eq!(
            items,
            vec![
                &br#""Doe, \"J\"" <sip:a,b@x>;q=1"#[..],
                &b"<sip:c@y>"[..],
                &br#""unterminated,"#[..],
            ]
        );
    }

    #[test]
    fn typed_list() {
        let v: &[u8] = b" INVITE ,\r\n ACK,BYE ";
        let items: Vec<_> = List::new(v, v, tok).collect();
        assert_eq!(
            items,
            vec![Ok(&b"INVITE"[..]), Ok(&b"ACK"[..]), Ok(&b"BYE"[..])]
        );
        let v: &[u8] = b"A,,B";
        let items: Vec<_> = List::new(v, v, tok).collect();
        assert_eq!(items.len(), 2);
        assert_eq!(items[1].unwrap_err().offset, 2);
        let v: &[u8] = b"A B";
        let items: Vec<_> = List::new(v, v, tok).collect();
        assert!(items[0].is_ok() && items[1].is_err());
        let v: &[u8] = b"  ";
        assert_eq!(List::new(v, v, tok).count(), 0);
    }

    #[test]
    fn raw_split_respects_quotes_and_brackets() {
        let v: &[u8] = b"\"Doe, John\" <sip:a@b;x=1,2>;q=1 , <sip:c@d>,,";
        let items: Vec<_> = split_values(v).collect();
        assert_eq!(
            items,
            vec![&b"\"Doe, John\" <sip:a@b;x=1,2>;q=1"[..], &b"<sip:c@d>"[..]]
        );
    }
}
