//! The lexical building blocks of RFC 3261 §25.1 as nom parsers: LWS, separators with their
//! surrounding white space, tokens, quoted strings and bounded integers.

use nom::Parser;
use nom::bytes::complete::take_while1;

use super::charset::{is_digit, is_lws, is_token};
use super::error::{Error, ErrorKind, IResult, expected};

/// Skips optional linear white space (`SWS`): spaces, tabs and folded line breaks.
#[inline]
pub fn sws(i: &[u8]) -> &[u8] {
    let n = i.iter().position(|b| !is_lws(*b)).unwrap_or(i.len());
    i.get(n..).unwrap_or_default()
}

/// Removes white space (and folding) at both ends of a value.
pub fn trim(i: &[u8]) -> &[u8] {
    let start = i.iter().position(|b| !is_lws(*b)).unwrap_or(i.len());
    let end = i.iter().rposition(|b| !is_lws(*b)).map_or(start, |p| p + 1);
    i.get(start..end).unwrap_or_default()
}

/// A separator such as `SEMI` or `COMMA`: optional white space, the byte, optional white space.
#[inline]
pub fn sep(c: u8, what: &'static str) -> impl Fn(&[u8]) -> IResult<'_, ()> {
    move |i: &[u8]| {
        let j = sws(i);
        match j.split_first() {
            Some((b, rest)) if *b == c => Ok((sws(rest), ())),
            _ => expected(i, what),
        }
    }
}

/// A `token`: one or more token characters.
#[inline]
pub fn token(i: &[u8]) -> IResult<'_, &[u8]> {
    match take_while1::<_, _, Error>(is_token).parse(i) {
        Ok(ok) => Ok(ok),
        Err(_) => expected(i, "a token"),
    }
}

/// A `quoted-string`, returned with its quotes; quoted pairs (`\x`) are skipped over.
pub fn quoted_string(i: &[u8]) -> IResult<'_, &[u8]> {
    if i.first() != Some(&b'"') {
        return expected(i, "a quoted string");
    }
    let mut pos = 1;
    while let Some(&b) = i.get(pos) {
        match b {
            b'\\' => pos += 2,
            b'"' => {
                let end = pos + 1;
                return match (i.get(..end), i.get(end..)) {
                    (Some(q), Some(rest)) => Ok((rest, q)),
                    _ => expected(i, "a closing double quote"),
                };
            }
            _ => pos += 1,
        }
    }
    Err(nom::Err::Error(Error::at_remaining(
        ErrorKind::Expected("a closing double quote"),
        i.get(i.len()..).unwrap_or_default(),
    )))
}

/// Reads `1*DIGIT` as a `u64`, failing on overflow.
pub fn number_u64<'a>(i: &'a [u8], what: &'static str) -> IResult<'a, u64> {
    let n = i.iter().position(|b| !is_digit(*b)).unwrap_or(i.len());
    if n == 0 {
        return expected(i, what);
    }
    let (digits, rest) = i.split_at(n);
    let mut v: u64 = 0;
    for d in digits {
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(v) => v,
            None => {
                return Err(nom::Err::Error(Error::at_remaining(
                    ErrorKind::OutOfRange(what),
                    i,
                )));
            }
        };
    }
    Ok((rest, v))
}

/// Reads `1*DIGIT` no larger than `max`.
pub fn number_max<'a>(i: &'a [u8], max: u64, what: &'static str) -> IResult<'a, u64> {
    let (rest, v) = number_u64(i, what)?;
    if v > max {
        return Err(nom::Err::Error(Error::at_remaining(
            ErrorKind::OutOfRange(what),
            i,
        )));
    }
    Ok((rest, v))
}

/// Reads a port number (0..=65535).
pub fn port(i: &[u8]) -> IResult<'_, u16> {
    let (rest, v) = number_max(i, u64::from(u16::MAX), "a port number")?;
    Ok((rest, u16::try_from(v).unwrap_or(u16::MAX)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separators_eat_folding() {
        let (rest, ()) = sep(b';', "a semicolon")(b" \r\n ;\r\n  tag").unwrap();
        assert_eq!(rest, b"tag");
    }

    #[test]
    fn quoted_strings() {
        assert_eq!(
            quoted_string(b"\"a\\\"b\" x").unwrap(),
            (&b" x"[..], &b"\"a\\\"b\""[..])
        );
        assert!(quoted_string(b"\"open").is_err());
    }

    #[test]
    fn numbers() {
        assert_eq!(number_u64(b"0009 x", "n").unwrap(), (&b" x"[..], 9));
        assert!(number_u64(b"36893488147419103232", "n").is_err());
        assert!(port(b"65536").is_err());
        assert_eq!(trim(b" \r\n a b \t"), b"a b");
    }
}
