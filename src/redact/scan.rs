//! Finding what to replace in text: IP addresses anywhere, the user and password of SIP and
//! tel URIs, and device identifiers (`urn:uuid:`).

use std::net::{Ipv4Addr, Ipv6Addr};

use super::pseudonym::Pseudonyms;

/// `text` with every IPv4 and IPv6 address replaced by its stand-in.
pub(crate) fn addresses(text: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        let prev = i.checked_sub(1).and_then(|k| text.get(k)).copied();
        // An IPv4 address may follow a letter (`e192.168.1.2` in a damaged Via still names a
        // host; a version `V4.2.0.0` is taken for one, which costs nothing); an IPv6 one
        // starts a word.
        let v4_start = !prev.is_some_and(|c| c.is_ascii_digit() || c == b'.');
        let word_start = !prev.is_some_and(|c| c.is_ascii_alphanumeric() || c == b'.');
        if (v4_start && b.is_ascii_digit()) || (word_start && (b.is_ascii_hexdigit() || b == b':'))
        {
            let rest = text.get(i..).unwrap_or_default();
            if let Some((len, replaced)) = address_at(rest, word_start, p) {
                out.extend_from_slice(replaced.as_bytes());
                i += len;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// The address `text` starts with, as (its length, its stand-in); IPv6 only when `v6`.
fn address_at(text: &[u8], v6: bool, p: &mut Pseudonyms) -> Option<(usize, String)> {
    let v4_len = text
        .iter()
        .take_while(|c| c.is_ascii_digit() || **c == b'.')
        .count();
    let v4 = trim_end(text.get(..v4_len)?, b'.');
    // Followed by a letter is still an address (`80.230.219.70Srport` in a damaged Via).
    let next = text.get(v4.len()).copied();
    if !next.is_some_and(|c| c.is_ascii_digit()) {
        if let Some(ip) = std::str::from_utf8(v4)
            .ok()
            .and_then(|s| s.parse::<Ipv4Addr>().ok())
        {
            return Some((v4.len(), p.ip(ip.into()).to_string()));
        }
    }
    if !v6 {
        return None;
    }
    let v6_len = text
        .iter()
        .take_while(|c| c.is_ascii_hexdigit() || matches!(c, b':' | b'.'))
        .count();
    let v6 = trim_end(text.get(..v6_len)?, b'.');
    if v6.iter().filter(|&&c| c == b':').count() < 2 {
        return None;
    }
    let next = text.get(v6.len()).copied();
    if next.is_some_and(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let ip = std::str::from_utf8(v6).ok()?.parse::<Ipv6Addr>().ok()?;
    Some((v6.len(), p.ip(ip.into()).to_string()))
}

fn trim_end(mut s: &[u8], c: u8) -> &[u8] {
    while let Some(rest) = s.strip_suffix(&[c]) {
        s = rest;
    }
    s
}

/// `text` with the user (and password) of every `sip:`, `sips:` and `tel:` URI replaced, and
/// every `urn:uuid:` (a device's lasting identifier).
pub(crate) fn uris(text: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len() + 16);
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        // `sip:` is taken anywhere (its user needs an `@` anyway: `Zsip:` in a damaged header
        // still names one); `tel:` and `urn:uuid:` start a word (not `hotel:`).
        let at_boundary = i == 0 || text.get(i - 1).is_some_and(|c| !c.is_ascii_alphanumeric());
        let rest = text.get(i..).unwrap_or_default();
        let candidate = match b {
            b's' | b'S' => true,
            b't' | b'T' | b'u' | b'U' => at_boundary,
            _ => false,
        };
        if candidate {
            if let Some(scheme_len) = scheme(rest) {
                out.extend_from_slice(rest.get(..scheme_len).unwrap_or_default());
                let after = rest.get(scheme_len..).unwrap_or_default();
                let (used, replaced) = match rest.first() {
                    Some(b't' | b'T') => telephone(after, p),
                    Some(b'u' | b'U') => uuid(after, p),
                    _ => userinfo(after, p),
                };
                out.extend_from_slice(&replaced);
                // The host and parameters, up to the URI's end.
                let tail = after.get(used..).unwrap_or_default();
                let end = tail.iter().position(|&c| ends_uri(c)).unwrap_or(tail.len());
                out.extend(numeric_params(tail.get(..end).unwrap_or_default(), p));
                i += scheme_len + used + end;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    out
}

/// The length of the scheme `text` starts with, colon included.
fn scheme(text: &[u8]) -> Option<usize> {
    ["sip:", "sips:", "tel:", "urn:uuid:"]
        .iter()
        .find(|s| {
            text.get(..s.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(s.as_bytes()))
        })
        .map(|s| s.len())
}

/// Bytes that end a URI's user part search: past them, an `@` belongs to something else.
fn ends_uri(c: u8) -> bool {
    matches!(
        c,
        b' ' | b'\t' | b'>' | b'<' | b',' | b'"' | b'\r' | b'\n' | b'?'
    )
}

/// The userinfo of a SIP URI (after `sip:`): (bytes read, replacement).
fn userinfo(after: &[u8], p: &mut Pseudonyms) -> (usize, Vec<u8>) {
    let end = after
        .iter()
        .position(|&c| ends_uri(c))
        .unwrap_or(after.len());
    let Some(at) = after
        .get(..end)
        .and_then(|s| s.iter().position(|&c| c == b'@'))
    else {
        return (0, Vec::new());
    };
    let info = after.get(..at).unwrap_or_default();
    let (user, password) = match info.iter().position(|&c| c == b':') {
        Some(colon) => (info.get(..colon).unwrap_or_default(), info.get(colon + 1..)),
        None => (info, None),
    };
    // User parameters (`;phone-context=...`) stay; the user itself is replaced.
    let (main, params) = match user.iter().position(|&c| c == b';') {
        Some(semi) => (
            user.get(..semi).unwrap_or_default(),
            user.get(semi..).unwrap_or_default(),
        ),
        None => (user, &[][..]),
    };
    let mut out = person(main, p).into_bytes();
    out.extend_from_slice(params);
    if let Some(password) = password {
        out.push(b':');
        out.extend_from_slice(p.token(&String::from_utf8_lossy(password)).as_bytes());
    }
    (at, out)
}

/// A URI's host and parameters with every parameter that holds a phone number (six digits or
/// more: Kamailio's `orig-user`, `phone-context`, vendors' own) given its stand-in; a dialog's
/// `tag` stays.
fn numeric_params(text: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(text.len());
    for (index, segment) in text.split(|&c| c == b';').enumerate() {
        if index > 0 {
            out.push(b';');
        }
        let replaced = segment
            .iter()
            .position(|&c| c == b'=')
            .and_then(|eq| Some((segment.get(..eq)?, segment.get(eq + 1..)?)))
            .filter(|(name, value)| {
                !name.eq_ignore_ascii_case(b"tag")
                    && value.iter().filter(|c| c.is_ascii_digit()).count() >= 6
                    && is_number(&String::from_utf8_lossy(value))
            });
        match replaced {
            Some((name, value)) => {
                out.extend_from_slice(name);
                out.push(b'=');
                out.extend(p.number(&String::from_utf8_lossy(value)).into_bytes());
            }
            None => out.extend_from_slice(segment),
        }
    }
    out
}

/// The number of a tel URI (after `tel:`).
fn telephone(after: &[u8], p: &mut Pseudonyms) -> (usize, Vec<u8>) {
    let end = after
        .iter()
        .position(|&c| ends_uri(c) || c == b';')
        .unwrap_or(after.len());
    let number = after.get(..end).unwrap_or_default();
    (end, person(number, p).into_bytes())
}

/// A UUID (after `urn:uuid:`).
fn uuid(after: &[u8], p: &mut Pseudonyms) -> (usize, Vec<u8>) {
    let end = after
        .iter()
        .take_while(|c| c.is_ascii_hexdigit() || **c == b'-')
        .count();
    let id = String::from_utf8_lossy(after.get(..end).unwrap_or_default()).into_owned();
    let mut token = p.token(&id).into_bytes();
    // Keep the dashes where they were, so the identifier still reads as a UUID.
    for (t, o) in token.iter_mut().zip(id.bytes()) {
        if o == b'-' {
            *t = b'-';
        }
    }
    (end, token)
}

/// A user part or number: a number when it is digits (with `+` and visual separators), which
/// keeps its length; otherwise a user name.
pub(crate) fn person(user: &[u8], p: &mut Pseudonyms) -> String {
    if user.is_empty() {
        return String::new();
    }
    let text = String::from_utf8_lossy(user);
    if is_number(&text) {
        p.number(&text)
    } else {
        p.user(&text)
    }
}

/// Digits with an optional leading `+` and the visual separators of RFC 3966.
fn is_number(text: &str) -> bool {
    let body = text.strip_prefix('+').unwrap_or(text);
    body.bytes().any(|c| c.is_ascii_digit())
        && body
            .bytes()
            .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'(' | b')'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: fn(&[u8], &mut Pseudonyms) -> Vec<u8>, text: &str) -> String {
        let mut p = Pseudonyms::new(Some(b"test"));
        String::from_utf8(f(text.as_bytes(), &mut p)).unwrap()
    }

    #[test]
    fn addresses_are_found_where_sip_puts_them() {
        for text in [
            "Via: SIP/2.0/UDP 10.1.2.3:5060;branch=z9hG4bK1;received=10.1.2.3",
            "c=IN IP4 10.1.2.3",
            "Call-ID: 1234@10.1.2.3",
            "Contact: <sip:alice@[fe80::1]:5060>",
            "c=IN IP6 fe80::1",
        ] {
            let out = run(addresses, text);
            assert!(
                !out.contains("10.1.2.3") && !out.contains("fe80::1"),
                "{out}"
            );
        }
    }

    #[test]
    fn what_only_looks_like_an_address_stays() {
        for text in [
            "SIP/2.0 200 OK",
            "a=rtpmap:0 PCMU/8000",
            "Date: Sat, 13 Nov 2010 23:29:00 GMT",
            "User-Agent: phone 1.2.3.4.5",
            "branch=z9hG4bK.1.2.3.4",
            "Call-ID: a84b4c76e66710",
        ] {
            assert_eq!(run(addresses, text), text);
        }
    }

    #[test]
    fn uri_users_numbers_and_passwords_are_replaced() {
        let out = run(uris, "To: <sip:bob:secret@biloxi.com>;tag=1");
        assert!(!out.contains("bob") && !out.contains("secret"), "{out}");
        assert!(out.contains("@biloxi.com>;tag=1"), "{out}");
        let out = run(uris, "P-Asserted-Identity: <tel:+33612345678>");
        assert!(
            out.contains("<tel:+") && !out.contains("33612345678"),
            "{out}"
        );
        assert_eq!(out.len(), "P-Asserted-Identity: <tel:+33612345678>".len());
        let out = run(uris, "INVITE sip:+1-201-555-0123;npdi@host SIP/2.0");
        assert!(
            out.contains(";npdi@host") && !out.contains("555-0123"),
            "{out}"
        );
        // No user part: nothing to replace.
        assert_eq!(
            run(uris, "Route: <sip:proxy.example.com;lr>"),
            "Route: <sip:proxy.example.com;lr>"
        );
    }

    #[test]
    fn device_identifiers_are_replaced() {
        let text = "+sip.instance=\"<urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6>\"";
        let out = run(uris, text);
        assert!(!out.contains("f81d4fae"), "{out}");
        assert_eq!(out.len(), text.len());
    }
}
