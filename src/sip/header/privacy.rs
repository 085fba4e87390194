//! Privacy (RFC 3323): which privacy services the user asks for (`id`, `header`, `none`...),
//! separated by semicolons.

use crate::sip::error::{Error, complete};
use crate::sip::lexical::{sep, sws, token};
use crate::sip::text::Text;

/// Parses a Privacy value into its priv-values (`header; id` gives `header`, `id`).
pub fn privacy_values(i: &[u8]) -> Result<Vec<Text<'_>>, Error> {
    complete(i, "a Privacy value", |i| {
        let mut out = Vec::new();
        let (mut r, t) = token(sws(i))?;
        out.push(Text(t));
        while let Ok((r2, ())) = sep(b';', "a semicolon")(r) {
            let (r3, t) = token(r2)?;
            out.push(Text(t));
            r = r3;
        }
        Ok((sws(r), out))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let v = privacy_values(b"header; id").unwrap();
        assert_eq!(v, vec![Text(b"header"), Text(b"id")]);
        assert!(privacy_values(b"id;").is_err());
    }
}
