//! The parse error of the SIP layer: what was expected, and where.
//!
//! It implements nom's [`ParseError`] so that every grammar function can return it directly,
//! never allocates, and borrows nothing, so it can leave the parser freely.

use std::fmt;

use nom::error::{ContextError, ErrorKind as NomErrorKind, FromExternalError, ParseError};

/// A parse error: its kind and the byte offset where it happened.
///
/// Inside a nom [`IResult`](nom::IResult) the offset counts the bytes that were left to read
/// (nom only hands the remaining input to the error); the `from_slice` constructors turn it
/// into an offset from the start of the slice they were given, which is what callers see.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Byte offset of the problem (from the start of the parsed slice once returned by a
    /// `from_slice` constructor).
    pub offset: usize,
}

/// What went wrong while parsing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The grammar expected something else here; the text names it ("a SIP version").
    Expected(&'static str),
    /// A number did not fit the range its field allows (for example a CSeq above 2^31-1).
    OutOfRange(&'static str),
    /// Bytes were left after a complete value (for example `1 INVITE x` in a CSeq).
    TrailingData(&'static str),
    /// A nom combinator failed without more context.
    Nom(NomErrorKind),
}

impl Error {
    /// An error of `kind` at the position where `remaining` bytes are left to read.
    pub(crate) fn at_remaining(kind: ErrorKind, remaining: &[u8]) -> Self {
        Error {
            kind,
            offset: remaining.len(),
        }
    }

    /// Turns a "bytes left" offset (as recorded inside nom) into an offset from the start of an
    /// input of `total` bytes.
    pub(crate) fn located(self, total: usize) -> Self {
        Error {
            kind: self.kind,
            offset: total.saturating_sub(self.offset),
        }
    }

    /// Turns a "bytes left" offset recorded while parsing `input` (a sub-slice of `base`) into
    /// an offset from the start of `base`.
    pub(crate) fn located_in(self, base: &[u8], input: &[u8]) -> Self {
        let end = super::span::Span::of(base, input).end;
        Error {
            kind: self.kind,
            offset: end.saturating_sub(self.offset),
        }
    }

    /// Shifts the offset by `base`, for errors found in a sub-slice.
    pub(crate) fn shifted(self, base: usize) -> Self {
        Error {
            kind: self.kind,
            offset: self.offset.saturating_add(base),
        }
    }

    /// Returns the error; it owns nothing, so this is a copy. Kept for symmetry with borrowed
    /// error types of other layers.
    pub fn to_owned(&self) -> Self {
        *self
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::Expected(what) => write!(f, "expected {what}"),
            ErrorKind::OutOfRange(what) => write!(f, "{what} is out of range"),
            ErrorKind::TrailingData(what) => write!(f, "unexpected bytes after {what}"),
            ErrorKind::Nom(kind) => write!(f, "the input did not match ({})", kind.description()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "The SIP parser {} at byte {}.", self.kind, self.offset)
    }
}

impl std::error::Error for Error {}

impl ParseError<&[u8]> for Error {
    fn from_error_kind(input: &[u8], kind: NomErrorKind) -> Self {
        Error::at_remaining(ErrorKind::Nom(kind), input)
    }

    fn append(_input: &[u8], _kind: NomErrorKind, other: Self) -> Self {
        other
    }

    fn or(self, other: Self) -> Self {
        // Keep the error that went furthest (fewest bytes left).
        if other.offset <= self.offset {
            other
        } else {
            self
        }
    }
}

impl ContextError<&[u8]> for Error {
    fn add_context(input: &[u8], ctx: &'static str, other: Self) -> Self {
        match other.kind {
            // A more precise inner error wins over the outer context.
            ErrorKind::Expected(_) | ErrorKind::OutOfRange(_) | ErrorKind::TrailingData(_) => other,
            ErrorKind::Nom(_) => Error::at_remaining(ErrorKind::Expected(ctx), input).or(other),
        }
    }
}

impl<E> FromExternalError<&[u8], E> for Error {
    fn from_external_error(input: &[u8], kind: NomErrorKind, _e: E) -> Self {
        Error::at_remaining(ErrorKind::Nom(kind), input)
    }
}

/// Result of a SIP grammar function, nom style.
pub type IResult<'a, O> = nom::IResult<&'a [u8], O, Error>;

/// Builds a nom failure ("error", recoverable) expecting `what` at `input`.
pub(crate) fn expected<'a, O>(input: &'a [u8], what: &'static str) -> IResult<'a, O> {
    Err(nom::Err::Error(Error::at_remaining(
        ErrorKind::Expected(what),
        input,
    )))
}

/// Runs a complete parser over `input` and turns its result into a `Result` with an offset
/// from the start of `input`; bytes left over are an error.
pub(crate) fn complete<'a, O>(
    input: &'a [u8],
    what: &'static str,
    parser: impl FnOnce(&'a [u8]) -> IResult<'a, O>,
) -> Result<O, Error> {
    match parser(input) {
        Ok(([], out)) => Ok(out),
        Ok((rest, _)) => {
            Err(Error::at_remaining(ErrorKind::TrailingData(what), rest).located(input.len()))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.located(input.len())),
        Err(nom::Err::Incomplete(_)) => Err(Error {
            kind: ErrorKind::Expected(what),
            offset: input.len(),
        }),
    }
}

/// Like [`complete`], but for an `input` that is a sub-slice of `base`: the parser receives
/// `base` for its spans, and error offsets count from the start of `base`.
pub(crate) fn complete_in<'a, O>(
    base: &'a [u8],
    input: &'a [u8],
    what: &'static str,
    parser: impl FnOnce(&'a [u8], &'a [u8]) -> IResult<'a, O>,
) -> Result<O, Error> {
    match parser(base, input) {
        Ok((rest, out)) if super::lexical::sws(rest).is_empty() => Ok(out),
        Ok((rest, _)) => {
            Err(Error::at_remaining(ErrorKind::TrailingData(what), rest).located_in(base, input))
        }
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(e.located_in(base, input)),
        Err(nom::Err::Incomplete(_)) => Err(Error {
            kind: ErrorKind::Expected(what),
            offset: super::span::Span::of(base, input).end,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_is_a_sentence() {
        let e = Error {
            kind: ErrorKind::Expected("a SIP version"),
            offset: 12,
        };
        assert_eq!(
            e.to_string(),
            "The SIP parser expected a SIP version at byte 12."
        );
    }

    #[test]
    fn located_counts_from_the_start() {
        let e = Error::at_remaining(ErrorKind::Expected("x"), b"abc");
        assert_eq!(e.located(10).offset, 7);
    }
}
