//! Server and User-Agent: products (`kamailio/4.1.4`) and comments (`(x86_64/linux)`).

use crate::sip::charset::is_token;
use crate::sip::error::{Error, ErrorKind, IResult, expected};
use crate::sip::lexical::{sep, sws};
use crate::sip::text::Text;

/// One element of a Server or User-Agent value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServerVal<'a> {
    /// `token [/ version]`
    Product {
        /// Product name.
        name: Text<'a>,
        /// Version, when written.
        version: Option<Text<'a>>,
    },
    /// A parenthesised comment, without the outer parentheses.
    Comment(Text<'a>),
}

fn comment(i: &[u8]) -> IResult<'_, &[u8]> {
    let mut depth = 0usize;
    let mut pos = 0;
    while let Some(&b) = i.get(pos) {
        match b {
            b'\\' => pos += 1,
            b'(' => depth += 1,
            b')' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok((
                        i.get(pos + 1..).unwrap_or_default(),
                        i.get(1..pos).unwrap_or_default(),
                    ));
                }
            }
            _ => {}
        }
        pos += 1;
    }
    expected(i, "a closing parenthesis")
}

fn tok(i: &[u8]) -> IResult<'_, &[u8]> {
    let n = i.iter().position(|b| !is_token(*b)).unwrap_or(i.len());
    if n == 0 {
        return expected(i, "a product token");
    }
    let (t, r) = i.split_at(n);
    Ok((r, t))
}

/// Parses a Server or User-Agent value into its products and comments.
pub fn server_vals(i: &[u8]) -> Result<Vec<ServerVal<'_>>, Error> {
    let mut out = Vec::new();
    let mut rest = sws(i);
    while !rest.is_empty() {
        let step = if rest.first() == Some(&b'(') {
            comment(rest).map(|(r, c)| (r, ServerVal::Comment(Text(c))))
        } else {
            tok(rest).and_then(|(r, name)| match sep(b'/', "a slash")(r) {
                Ok((r2, ())) => {
                    let (r3, v) = tok(r2)?;
                    Ok((
                        r3,
                        ServerVal::Product {
                            name: Text(name),
                            version: Some(Text(v)),
                        },
                    ))
                }
                Err(_) => Ok((
                    r,
                    ServerVal::Product {
                        name: Text(name),
                        version: None,
                    },
                )),
            })
        };
        match step {
            Ok((r, v)) => {
                out.push(v);
                rest = sws(r);
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => return Err(e.located(i.len())),
            Err(nom::Err::Incomplete(_)) => {
                return Err(Error {
                    kind: ErrorKind::Expected("a product"),
                    offset: i.len(),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn products() {
        let v = server_vals(b"kamailio (4.1.4 (x86_64/linux))").unwrap();
        assert_eq!(
            v[0],
            ServerVal::Product {
                name: Text(b"kamailio"),
                version: None
            }
        );
        assert_eq!(v[1], ServerVal::Comment(Text(b"4.1.4 (x86_64/linux)")));
        let v = server_vals(b"SIPimp.org/0.2.5 (curses)").unwrap();
        assert_eq!(
            v[0],
            ServerVal::Product {
                name: Text(b"SIPimp.org"),
                version: Some(Text(b"0.2.5"))
            }
        );
        assert_eq!(server_vals(b"Asterisk PBX 11.10.2").unwrap().len(), 3);
        assert!(server_vals(b"x (open").is_err());
    }
}
