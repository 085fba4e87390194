//! The character classes of the RFC 3261 grammar (§25.1), as one lookup table.
//!
//! Every byte maps to a set of flags, so each class test is one load and one mask; the
//! header splitter and the typed parsers call these in their inner loops.

const TOKEN: u16 = 1;
const UNRESERVED: u16 = 1 << 1;
const USER: u16 = 1 << 2;
const PASSWORD: u16 = 1 << 3;
const PARAM: u16 = 1 << 4;
const HNV: u16 = 1 << 5;
const WORD: u16 = 1 << 6;
const HOST: u16 = 1 << 7;
const DIGIT: u16 = 1 << 8;
const WS: u16 = 1 << 9;
const LWS: u16 = 1 << 10;

const fn flags(b: u8) -> u16 {
    let alnum = b.is_ascii_alphanumeric();
    let mut f = 0;
    // mark = "-" / "_" / "." / "!" / "~" / "*" / "'" / "(" / ")"
    let mark = matches!(
        b,
        b'-' | b'_' | b'.' | b'!' | b'~' | b'*' | b'\'' | b'(' | b')'
    );
    if alnum
        || matches!(
            b,
            b'-' | b'.' | b'!' | b'%' | b'*' | b'_' | b'+' | b'`' | b'\'' | b'~'
        )
    {
        f |= TOKEN;
    }
    if alnum || mark {
        f |= UNRESERVED;
    }
    // user = 1*( unreserved / escaped / user-unreserved ), user-unreserved = & = + $ , ; ? /
    if alnum
        || mark
        || matches!(
            b,
            b'%' | b'&' | b'=' | b'+' | b'$' | b',' | b';' | b'?' | b'/'
        )
    {
        f |= USER;
    }
    // password = *( unreserved / escaped / "&" / "=" / "+" / "$" / "," )
    if alnum || mark || matches!(b, b'%' | b'&' | b'=' | b'+' | b'$' | b',') {
        f |= PASSWORD;
    }
    // paramchar = param-unreserved / unreserved / escaped, param-unreserved = [ ] / : & + $
    if alnum || mark || matches!(b, b'%' | b'[' | b']' | b'/' | b':' | b'&' | b'+' | b'$') {
        f |= PARAM;
    }
    // hname / hvalue = hnv-unreserved / unreserved / escaped, hnv-unreserved = [ ] / ? : + $
    if alnum || mark || matches!(b, b'%' | b'[' | b']' | b'/' | b'?' | b':' | b'+' | b'$') {
        f |= HNV;
    }
    // word = 1*(alphanum / - . ! % * _ + ` ' ~ ( ) < > : \ DQUOTE / [ ] ? { })
    if alnum
        || matches!(
            b,
            b'-' | b'.'
                | b'!'
                | b'%'
                | b'*'
                | b'_'
                | b'+'
                | b'`'
                | b'\''
                | b'~'
                | b'('
                | b')'
                | b'<'
                | b'>'
                | b':'
                | b'\\'
                | b'"'
                | b'/'
                | b'['
                | b']'
                | b'?'
                | b'{'
                | b'}'
        )
    {
        f |= WORD;
    }
    if alnum || matches!(b, b'-' | b'.') {
        f |= HOST;
    }
    if b.is_ascii_digit() {
        f |= DIGIT;
    }
    if matches!(b, b' ' | b'\t') {
        f |= WS;
    }
    if matches!(b, b' ' | b'\t' | b'\r' | b'\n') {
        f |= LWS;
    }
    f
}

static TABLE: [u16; 256] = {
    let mut t = [0u16; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = flags(i as u8);
        i += 1;
    }
    t
};

#[inline]
fn has(b: u8, flag: u16) -> bool {
    TABLE[b as usize] & flag != 0
}

/// `token` characters: alphanum and `-.!%*_+`'~`.
#[inline]
pub fn is_token(b: u8) -> bool {
    has(b, TOKEN)
}

/// `unreserved` characters: alphanum and the marks `-_.!~*'()`.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    has(b, UNRESERVED)
}

/// Characters of a SIP URI user part (escapes included).
#[inline]
pub fn is_user(b: u8) -> bool {
    has(b, USER)
}

/// Characters of a SIP URI password.
#[inline]
pub fn is_password(b: u8) -> bool {
    has(b, PASSWORD)
}

/// Characters of a URI parameter name or value.
#[inline]
pub fn is_param(b: u8) -> bool {
    has(b, PARAM)
}

/// Characters of a URI header name or value.
#[inline]
pub fn is_hnv(b: u8) -> bool {
    has(b, HNV)
}

/// Characters of a `word` (Call-ID).
#[inline]
pub fn is_word(b: u8) -> bool {
    has(b, WORD)
}

/// Characters of a host name or IPv4 address.
#[inline]
pub fn is_host(b: u8) -> bool {
    has(b, HOST)
}

/// ASCII digit.
#[inline]
pub fn is_digit(b: u8) -> bool {
    has(b, DIGIT)
}

/// Space or horizontal tab.
#[inline]
pub fn is_ws(b: u8) -> bool {
    has(b, WS)
}

/// Linear white space inside a header value: space, tab, and the CR LF of folded lines.
#[inline]
pub fn is_lws(b: u8) -> bool {
    has(b, LWS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes() {
        for b in b"abcXYZ019-.!%*_+`'~" {
            assert!(is_token(*b), "{}", *b as char);
        }
        for b in b" \t;,:\"<>@()[]{}?/=\\" {
            assert!(!is_token(*b), "{}", *b as char);
        }
        assert!(is_user(b';') && is_user(b'?') && !is_user(b'@') && !is_user(b':'));
        assert!(is_password(b'&') && !is_password(b';'));
        assert!(is_word(b'"') && is_word(b'}') && !is_word(b' ') && !is_word(b'@'));
        assert!(is_lws(b'\n') && !is_ws(b'\n'));
    }
}
