//! Parameters: the `;name=value` lists that follow URIs and header values.
//!
//! Two grammars share one type. Header parameters (`generic-param`) allow white space and
//! folding around `;` and `=` and take quoted-string values; URI parameters allow none and use
//! `paramchar`. Parsing validates the whole list once and keeps it as one borrowed slice;
//! [`Params::iter`] walks it again on demand, so reading one parameter never allocates.

use super::charset::{is_param, is_token};
use super::error::{IResult, expected};
use super::lexical::{quoted_string, sep, sws};
use super::span::Span;
use super::text::Text;

/// Which grammar a parameter list follows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ParamsKind {
    /// `*( SEMI generic-param )` after a header value: LWS allowed, quoted values.
    Header,
    /// `*( ";" uri-parameter )` inside a URI: no white space.
    Uri,
}

/// A validated parameter list, borrowed from the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Params<'a> {
    raw: &'a [u8],
    offset: usize,
    kind: ParamsKind,
}

/// One parameter: its name, its value as written (quotes kept) and where it sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Param<'a> {
    /// The parameter name as written (compare with [`Text::eq_ignore_case`]).
    pub name: Text<'a>,
    /// The value after `=`, as written; `None` for a flag such as `lr` or a bare `rport`.
    pub value: Option<Text<'a>>,
    /// Bytes of the whole `;name=value`, relative to the buffer the owner was parsed from.
    pub span: Span,
}

impl<'a> Param<'a> {
    /// The value without surrounding quotes (escapes kept as written).
    pub fn unquoted(&self) -> Option<Text<'a>> {
        self.value.map(|v| v.unquoted())
    }
}

impl<'a> Params<'a> {
    /// An empty list at `offset`.
    pub(crate) fn empty(kind: ParamsKind, offset: usize) -> Self {
        Params {
            raw: &[],
            offset,
            kind,
        }
    }

    /// The whole list as written, from the first `;`.
    pub fn raw(&self) -> Text<'a> {
        Text(self.raw)
    }

    /// Where the list sits in the buffer its owner was parsed from.
    pub fn span(&self) -> Span {
        Span::new(self.offset, self.offset + self.raw.len())
    }

    /// True when there is no parameter.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.iter().count()
    }

    /// The parameters in order.
    pub fn iter(&self) -> ParamIter<'a> {
        ParamIter {
            raw: self.raw,
            rest: self.raw,
            offset: self.offset,
            kind: self.kind,
        }
    }

    /// The first parameter called `name` (case-insensitive).
    pub fn get(&self, name: &str) -> Option<Param<'a>> {
        self.iter().find(|p| p.name.eq_ignore_case(name))
    }

    /// The value of the first parameter called `name`: `None` when absent, `Some(None)` for a
    /// flag without value.
    pub fn value(&self, name: &str) -> Option<Option<Text<'a>>> {
        self.get(name).map(|p| p.value)
    }

    /// True when a parameter called `name` is present.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }
}

impl<'a> IntoIterator for &Params<'a> {
    type Item = Param<'a>;
    type IntoIter = ParamIter<'a>;
    fn into_iter(self) -> ParamIter<'a> {
        self.iter()
    }
}

/// Iterator over a parameter list.
#[derive(Debug, Clone)]
pub struct ParamIter<'a> {
    raw: &'a [u8],
    rest: &'a [u8],
    offset: usize,
    kind: ParamsKind,
}

impl<'a> Iterator for ParamIter<'a> {
    type Item = Param<'a>;

    fn next(&mut self) -> Option<Param<'a>> {
        if self.rest.is_empty() {
            return None;
        }
        let before = self.rest;
        let parsed = match self.kind {
            ParamsKind::Header => header_param(before),
            ParamsKind::Uri => uri_param(before),
        };
        match parsed {
            Ok((rest, (name, value))) => {
                self.rest = rest;
                let used = before.get(..before.len() - rest.len()).unwrap_or_default();
                let span = Span::of(self.raw, used).shifted(self.offset);
                Some(Param {
                    name: Text(name),
                    value: value.map(Text),
                    span,
                })
            }
            Err(_) => {
                self.rest = &[];
                None
            }
        }
    }
}

type NameValue<'a> = (&'a [u8], Option<&'a [u8]>);

/// `SEMI generic-param`: `; name [= value]` with white space allowed around `;` and `=`.
fn header_param(i: &[u8]) -> IResult<'_, NameValue<'_>> {
    let (i, ()) = sep(b';', "a semicolon")(i)?;
    let n = i.iter().position(|b| !is_token(*b)).unwrap_or(i.len());
    if n == 0 {
        return expected(i, "a parameter name");
    }
    let (name, rest) = i.split_at(n);
    match sep(b'=', "an equals sign")(rest) {
        Ok((after_eq, ())) => {
            let (rest, value) = gen_value(after_eq)?;
            Ok((rest, (name, Some(value))))
        }
        Err(_) => Ok((rest, (name, None))),
    }
}

/// `gen-value = token / host / quoted-string`, host including IPv6 references.
fn gen_value(i: &[u8]) -> IResult<'_, &[u8]> {
    if i.first() == Some(&b'"') {
        return quoted_string(i);
    }
    let n = i
        .iter()
        .position(|b| !(is_token(*b) || matches!(b, b':' | b'[' | b']')))
        .unwrap_or(i.len());
    if n == 0 {
        return expected(i, "a parameter value");
    }
    let (v, rest) = i.split_at(n);
    Ok((rest, v))
}

/// `";" uri-parameter`: no white space, `paramchar` names and values.
fn uri_param(i: &[u8]) -> IResult<'_, NameValue<'_>> {
    let Some((b';', i)) = i.split_first() else {
        return expected(i, "a semicolon");
    };
    let n = i
        .iter()
        .position(|b| !is_param(*b) || *b == b'=')
        .unwrap_or(i.len());
    if n == 0 {
        return expected(i, "a URI parameter name");
    }
    let (name, rest) = i.split_at(n);
    match rest.split_first() {
        Some((b'=', v)) => {
            let m = v.iter().position(|b| !is_param(*b)).unwrap_or(v.len());
            let (value, rest) = v.split_at(m);
            Ok((rest, (name, Some(value))))
        }
        _ => Ok((rest, (name, None))),
    }
}

/// Finds header parameter `name` in `i` (which starts at a `;`) in one pass, without
/// validating the parameters after it: the correlation fast path. Returns the value as
/// written (`Some(None)` for a flag).
pub fn find_header_param<'a>(i: &'a [u8], name: &str) -> Option<Option<Text<'a>>> {
    let mut rest = i;
    loop {
        let (r, (n, v)) = header_param(rest).ok()?;
        if n.eq_ignore_ascii_case(name.as_bytes()) {
            return Some(v.map(Text));
        }
        rest = r;
    }
}

/// Parses `*( SEMI generic-param )` and returns the validated list. Stops (without error)
/// before anything that is not `;`; a `;` not followed by a valid parameter is an error.
/// `base` is the buffer spans are measured from.
pub fn header_params<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Params<'a>> {
    list(base, i, ParamsKind::Header)
}

/// Parses `*( ";" uri-parameter )`; see [`header_params`].
pub fn uri_params<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, Params<'a>> {
    list(base, i, ParamsKind::Uri)
}

fn list<'a>(base: &'a [u8], i: &'a [u8], kind: ParamsKind) -> IResult<'a, Params<'a>> {
    let start = match kind {
        ParamsKind::Header => sws(i),
        ParamsKind::Uri => i,
    };
    if start.first() != Some(&b';') {
        return Ok((i, Params::empty(kind, Span::of(base, i).start)));
    }
    let mut rest = start;
    loop {
        let probe = match kind {
            ParamsKind::Header => sws(rest),
            ParamsKind::Uri => rest,
        };
        if probe.first() != Some(&b';') {
            break;
        }
        let (r, _) = match kind {
            ParamsKind::Header => header_param(rest)?,
            ParamsKind::Uri => uri_param(rest)?,
        };
        rest = r;
    }
    let used = start.get(..start.len() - rest.len()).unwrap_or_default();
    let span = Span::of(base, used);
    Ok((
        rest,
        Params {
            raw: used,
            offset: span.start,
            kind,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_params_with_folding() {
        let v: &[u8] = b" ;   tag    = 1918181833n ; q = 0.33;lr , next";
        let (rest, p) = header_params(v, v).unwrap();
        assert_eq!(rest, b" , next");
        let all: Vec<_> = p.iter().collect();
        assert_eq!(all.len(), 3);
        assert_eq!(all[0].name, "tag");
        assert_eq!(all[0].value.unwrap(), "1918181833n");
        assert_eq!(p.value("Q").unwrap().unwrap(), "0.33");
        assert_eq!(p.value("lr"), Some(None));
        assert_eq!(
            p.get("tag").unwrap().span.slice(v).unwrap(),
            b";   tag    = 1918181833n"
        );
    }

    #[test]
    fn quoted_value_keeps_separators() {
        let v: &[u8] = b";x=\"a;b,c\";y";
        let (rest, p) = header_params(v, v).unwrap();
        assert!(rest.is_empty());
        assert_eq!(p.get("x").unwrap().unquoted().unwrap(), "a;b,c");
        assert!(p.contains("y"));
    }

    #[test]
    fn empty_parameter_is_an_error() {
        let v: &[u8] = b";;,;,,";
        assert!(header_params(v, v).is_err());
    }

    #[test]
    fn uri_params_stop_at_headers() {
        let v: &[u8] = b";%6C%72;n%61me=v%61lue%25%34%31?h=v";
        let (rest, p) = uri_params(v, v).unwrap();
        assert_eq!(rest, b"?h=v");
        assert_eq!(p.value("n%61me").unwrap().unwrap(), "v%61lue%25%34%31");
        assert_eq!(p.len(), 2);
    }
}
