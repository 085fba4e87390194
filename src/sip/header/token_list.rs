//! Headers that list tokens: Allow, Supported, Require, Proxy-Require, Unsupported,
//! Allow-Events, Content-Encoding, Accept-Encoding, Accept-Language.

use crate::sip::error::IResult;
use crate::sip::lexical::token;
use crate::sip::text::Text;

use super::list::List;

fn item<'a>(_base: &'a [u8], i: &'a [u8]) -> IResult<'a, Text<'a>> {
    let (r, t) = token(i)?;
    Ok((r, Text(t)))
}

/// The tokens of a list header value (`PRACK, INVITE, ACK`); an empty value is an empty list.
pub fn token_list<'a>(base: &'a [u8], value: &'a [u8]) -> List<'a, Text<'a>> {
    List::new(base, value, item)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow() {
        let v: &[u8] = b"PRACK, SUBSCRIBE, NOTIFY,REFER";
        let all: Vec<_> = token_list(v, v).map(Result::unwrap).collect();
        assert_eq!(
            all,
            vec![
                Text(b"PRACK"),
                Text(b"SUBSCRIBE"),
                Text(b"NOTIFY"),
                Text(b"REFER")
            ]
        );
        let v: &[u8] = b"";
        assert_eq!(token_list(v, v).count(), 0);
        let v: &[u8] = b"timer, <x>";
        assert!(token_list(v, v).nth(1).unwrap().is_err());
    }
}
