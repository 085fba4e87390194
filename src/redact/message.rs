//! Redacting one SIP message's text: the start line and headers (URIs, display names,
//! credentials, free text), the body by its type, then every address; Content-Length follows
//! the body's new length.

use super::body;
use super::pseudonym::Pseudonyms;
use super::scan;
use crate::sip::framing;

/// Headers whose value is a credential or challenge (scheme, then parameters).
const AUTH_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "www-authenticate",
    "proxy-authenticate",
    "authentication-info",
    "proxy-authentication-info",
];

/// Headers whose `name <address>` elements name a person.
const NAME_ADDR_HEADERS: &[&str] = &[
    "from",
    "f",
    "to",
    "t",
    "contact",
    "m",
    "reply-to",
    "refer-to",
    "r",
    "referred-by",
    "b",
    "p-asserted-identity",
    "p-preferred-identity",
    "remote-party-id",
    "diversion",
    "history-info",
    "p-called-party-id",
];

/// Free text that may name a person or an organisation.
const FREE_TEXT_HEADERS: &[&str] = &["subject", "s", "organization"];

/// Digest parameters known to name nothing and hide nothing; the others are replaced.
const PLAIN_PARAMS: &[&str] = &[
    "realm",
    "algorithm",
    "qop",
    "stale",
    "nc",
    "domain",
    "charset",
];

/// Digest parameters that are secrets, or single-use values that tie a capture to a server.
const SECRET_PARAMS: &[&str] = &[
    "response",
    "nonce",
    "cnonce",
    "opaque",
    "nextnonce",
    "rspauth",
];

/// The message `bytes` (start line, headers, body) redacted.
pub(crate) fn redact(bytes: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let (head_len, separator) = header_end(bytes);
    let head = bytes.get(..head_len).unwrap_or(bytes);
    let body = bytes.get(head_len + separator..).unwrap_or_default();
    let content_type = framing::find_header(bytes, b"content-type", Some(b"c"))
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .unwrap_or_default();
    let new_body = scan::addresses(&body::redact(body, &content_type, p), p);
    let growth = new_body.len() as i64 - body.len() as i64;

    let mut out = Vec::with_capacity(bytes.len() + 64);
    let mut name = String::new();
    for (index, line) in lines(head).enumerate() {
        if index == 0 {
            out.extend(scan::uris(line, p));
            continue;
        }
        let continuation = line.first().is_some_and(|c| matches!(c, b' ' | b'\t'));
        let (prefix, value) = if continuation {
            (&[][..], line)
        } else {
            match line.iter().position(|&c| c == b':') {
                Some(colon) => {
                    name = String::from_utf8_lossy(line.get(..colon).unwrap_or_default())
                        .trim()
                        .to_ascii_lowercase();
                    (
                        line.get(..=colon).unwrap_or_default(),
                        line.get(colon + 1..).unwrap_or_default(),
                    )
                }
                None => (&[][..], line),
            }
        };
        out.extend_from_slice(prefix);
        out.extend(header_value_redacted(&name, value, growth, p));
    }
    let mut out = scan::addresses(&out, p);
    out.extend_from_slice(
        bytes
            .get(head_len..head_len + separator)
            .unwrap_or_default(),
    );
    out.extend(new_body);
    out
}

/// One header's value (with its line ending), redacted by what the header is.
fn header_value_redacted(name: &str, value: &[u8], growth: i64, p: &mut Pseudonyms) -> Vec<u8> {
    if AUTH_HEADERS.contains(&name) {
        // A second pass for the parameters a damaged quote hid from the first.
        return secret_params(&credentials(value, p), p);
    }
    if name == "content-length" || name == "l" {
        return content_length(value, growth);
    }
    if FREE_TEXT_HEADERS.contains(&name) {
        let (text, ending) = split_ending(value);
        let trimmed = String::from_utf8_lossy(text).trim().to_string();
        if trimmed.is_empty() {
            return value.to_vec();
        }
        let mut out = format!(" {}", p.name(&trimmed)).into_bytes();
        out.extend_from_slice(ending);
        return out;
    }
    let any_angle = NAME_ADDR_HEADERS.contains(&name);
    let value = if any_angle && !value.contains(&b'<') {
        leading_quoted_name(value, p)
    } else {
        display_names(value, any_angle, p)
    };
    secret_params(&scan::uris(&value, p), p)
}

/// A damaged name-addr with no `<` at all: a quoted string it starts with is still a name.
fn leading_quoted_name(value: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let lead = value
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t'))
        .count();
    let inner_start = lead + 1;
    let close = (value.get(lead) == Some(&b'"'))
        .then(|| value.get(inner_start..)?.iter().position(|&c| c == b'"'))
        .flatten();
    let Some(close) = close else {
        return value.to_vec();
    };
    let inner = String::from_utf8_lossy(
        value
            .get(inner_start..inner_start + close)
            .unwrap_or_default(),
    )
    .into_owned();
    let mut out = value.get(..inner_start).unwrap_or_default().to_vec();
    out.extend(p.name(inner.trim_matches('\\')).into_bytes());
    out.extend_from_slice(value.get(inner_start + close..).unwrap_or_default());
    out
}

/// Any header's `nonce=`, `response=`... (a header whose name was damaged, a vendor's own)
/// and `username=` with their values replaced.
fn secret_params(value: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len());
    let mut i = 0;
    while let Some(&c) = value.get(i) {
        let starts_word = i == 0
            || value
                .get(i - 1)
                .is_some_and(|b| matches!(b, b' ' | b'\t' | b',' | b';'));
        let rest = value.get(i..).unwrap_or_default();
        let name = starts_word
            .then(|| {
                SECRET_PARAMS.iter().chain(&["username"]).find(|n| {
                    rest.get(..n.len() + 1).is_some_and(|t| {
                        t[..n.len()].eq_ignore_ascii_case(n.as_bytes()) && t[n.len()] == b'='
                    })
                })
            })
            .flatten();
        let Some(name) = name else {
            out.push(c);
            i += 1;
            continue;
        };
        let after = rest.get(name.len() + 1..).unwrap_or_default();
        let quoted = after.first() == Some(&b'"');
        let body = if quoted {
            after.get(1..).unwrap_or_default()
        } else {
            after
        };
        let len = body
            .iter()
            .position(|&b| {
                if quoted {
                    b == b'"'
                } else {
                    matches!(b, b',' | b';' | b' ' | b'\t' | b'\r' | b'\n' | b'>')
                }
            })
            .unwrap_or(body.len());
        let original = String::from_utf8_lossy(body.get(..len).unwrap_or_default()).into_owned();
        let replaced = if *name == "username" {
            scan::person(original.as_bytes(), p)
        } else {
            p.token(&original)
        };
        out.extend_from_slice(rest.get(..name.len() + 1).unwrap_or_default());
        if quoted {
            out.push(b'"');
        }
        out.extend(replaced.into_bytes());
        i += name.len() + 1 + usize::from(quoted) + len;
    }
    out
}

/// The number of Content-Length, moved by what the body grew or shrank (an announced length
/// that was wrong stays wrong by as much, for the diagnosis to see).
fn content_length(value: &[u8], growth: i64) -> Vec<u8> {
    let (text, ending) = split_ending(value);
    let digits = String::from_utf8_lossy(text);
    let Ok(announced) = digits.trim().parse::<i64>() else {
        return value.to_vec();
    };
    let mut out = format!(" {}", (announced + growth).max(0)).into_bytes();
    out.extend_from_slice(ending);
    out
}

/// A name-addr list (`"Alice" <sip:...>, Bob <sip:...>`) with each display name replaced:
/// whatever stands before a `<sip:`, `<sips:` or `<tel:` since the previous element, whether
/// its quotes are balanced or not (phones write `\"name\"` too). In the headers that hold a
/// person (`any_angle`), any `<` opens the address, whatever its scheme says.
fn display_names(value: &[u8], any_angle: bool, p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(value.len() + 16);
    let mut start = 0;
    let mut i = 0;
    while let Some(&c) = value.get(i) {
        let rest = value.get(i + 1..).unwrap_or_default();
        if c != b'<' || !(any_angle || opens_person_uri(rest)) {
            i += 1;
            continue;
        }
        let before = value.get(start..i).unwrap_or_default();
        // An earlier element without angle brackets ends at the last comma outside quotes.
        let own = last_comma_outside_quotes(before).map_or(0, |k| k + 1);
        out.extend_from_slice(before.get(..own).unwrap_or_default());
        out.extend(replace_display(before.get(own..).unwrap_or_default(), p));
        // The URI and the element's parameters, up to the next comma.
        let close = value
            .get(i..)
            .and_then(|v| v.iter().position(|&c| c == b'>'))
            .map_or(value.len(), |k| i + k + 1);
        let next = value
            .get(close..)
            .and_then(|v| v.iter().position(|&c| c == b','))
            .map_or(value.len(), |k| close + k + 1);
        out.extend_from_slice(value.get(i..next).unwrap_or_default());
        start = next;
        i = next;
    }
    out.extend_from_slice(value.get(start..).unwrap_or_default());
    out
}

/// Whether `text` starts with a scheme whose URIs name a person.
fn opens_person_uri(text: &[u8]) -> bool {
    ["sip:", "sips:", "tel:"].iter().any(|s| {
        text.get(..s.len())
            .is_some_and(|t| t.eq_ignore_ascii_case(s.as_bytes()))
    })
}

fn last_comma_outside_quotes(text: &[u8]) -> Option<usize> {
    let mut in_quotes = false;
    let mut last = None;
    for (k, &c) in text.iter().enumerate() {
        match c {
            b'"' => in_quotes = !in_quotes,
            b',' if !in_quotes => last = Some(k),
            _ => {}
        }
    }
    last
}

/// The text before a `<`: spaces kept, a quoted or bare name replaced.
fn replace_display(display: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let text = String::from_utf8_lossy(display);
    let name = text.trim();
    if name.is_empty() {
        return display.to_vec();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let tail = &text[text.trim_end().len()..];
    let inner = name.trim_matches(|c| c == '"' || c == '\\').trim();
    let replaced = if inner.is_empty() {
        name.to_string()
    } else if name.starts_with(['"', '\\']) {
        format!("\"{}\"", p.name(inner))
    } else {
        p.name(inner)
    };
    format!("{lead}{replaced}{tail}").into_bytes()
}

/// A credential or challenge: Digest secrets and user replaced, its URI redacted, other
/// schemes' whole credentials replaced.
fn credentials(value: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let (text, ending) = split_ending(value);
    let text = String::from_utf8_lossy(text).into_owned();
    let trimmed = text.trim_start();
    let lead = &text[..text.len() - trimmed.len()];
    let scheme_end = trimmed.find([' ', '\t']).unwrap_or(trimmed.len());
    let (scheme, params) = trimmed.split_at(scheme_end);
    // Authentication-Info has no scheme: its first word is already a parameter.
    let (scheme, params) = if scheme.contains('=') {
        ("", trimmed)
    } else {
        (scheme, params)
    };
    let mut out = String::from(lead);
    out.push_str(scheme);
    if scheme.is_empty() || scheme.eq_ignore_ascii_case("digest") {
        out.push_str(&digest_params(params, p));
    } else {
        let rest = params.trim_start();
        out.push_str(&params[..params.len() - rest.len()]);
        if !rest.is_empty() {
            out.push_str(&p.token(rest.trim_end()));
            out.push_str(&rest[rest.trim_end().len()..]);
        }
    }
    let mut out = out.into_bytes();
    out.extend_from_slice(ending);
    out
}

/// `name=value` parameters separated by commas, with the secret ones replaced.
fn digest_params(params: &str, p: &mut Pseudonyms) -> String {
    let mut out = String::with_capacity(params.len() + 16);
    for (index, param) in split_outside_quotes(params, ',').into_iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        let Some((name, value)) = param.split_once('=') else {
            out.push_str(param);
            continue;
        };
        let key = name.trim().to_ascii_lowercase();
        let quoted = value.trim().starts_with('"');
        let inner = value.trim().trim_matches('"');
        let replaced = if key == "username" {
            scan::person(inner.as_bytes(), p)
        } else if key == "uri" {
            String::from_utf8_lossy(&scan::uris(inner.as_bytes(), p)).into_owned()
        } else if PLAIN_PARAMS.contains(&key.as_str()) || inner.is_empty() {
            out.push_str(param);
            continue;
        } else {
            // Secrets, and whatever is not known to be harmless (a misspelt `nonce` too).
            p.token(inner)
        };
        let value_lead = &value[..value.len() - value.trim_start().len()];
        let value_tail = &value[value.trim_end().len()..];
        out.push_str(name);
        out.push('=');
        out.push_str(value_lead);
        if quoted {
            out.push('"');
            out.push_str(&replaced);
            out.push('"');
        } else {
            out.push_str(&replaced);
        }
        out.push_str(value_tail);
    }
    out
}

/// `text` cut at each `separator` outside double quotes.
fn split_outside_quotes(text: &str, separator: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_quotes = false;
    for (i, c) in text.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            c if c == separator && !in_quotes => {
                parts.push(&text[start..i]);
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

/// Where the header section ends, and the length of the empty line after it.
fn header_end(bytes: &[u8]) -> (usize, usize) {
    if let Some(at) = memchr::memmem::find(bytes, b"\r\n\r\n") {
        return (at + 2, 2);
    }
    if let Some(at) = memchr::memmem::find(bytes, b"\n\n") {
        return (at + 1, 1);
    }
    (bytes.len(), 0)
}

/// The lines of a header section, each with its line ending.
fn lines(head: &[u8]) -> impl Iterator<Item = &[u8]> {
    head.split_inclusive(|&c| c == b'\n')
}

/// A value and its line ending.
fn split_ending(value: &[u8]) -> (&[u8], &[u8]) {
    let text_len = value
        .iter()
        .rposition(|&c| c != b'\r' && c != b'\n')
        .map_or(0, |i| i + 1);
    (
        value.get(..text_len).unwrap_or_default(),
        value.get(text_len..).unwrap_or_default(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const INVITE: &str = "INVITE sip:bob@10.0.0.2 SIP/2.0\r\n\
Via: SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK776asdhds\r\n\
From: \"Alice Liddell\" <sip:alice@atlanta.com>;tag=1928301774\r\n\
To: Bob <sip:bob@biloxi.com>\r\n\
Call-ID: a84b4c76e66710@10.0.0.1\r\n\
Subject: Lunch with Carol\r\n\
Proxy-Authorization: Digest username=\"alice\", realm=\"atlanta.com\", nonce=\"84a4cc6f3082121f32b42a2187831a9e\", uri=\"sip:bob@10.0.0.2\", response=\"7587245234b3434cc3412213e5f113a5\", opaque=\"\", cnonce=\"0a4f113b\", nc=00000001, qop=auth\r\n\
Content-Type: application/sdp\r\n\
Content-Length: 108\r\n\
\r\n\
v=0\r\n\
o=alice 2890844526 2890844526 IN IP4 10.0.0.1\r\n\
s=-\r\n\
c=IN IP4 10.0.0.1\r\n\
t=0 0\r\n\
m=audio 49170 RTP/AVP 0\r\n";

    fn redacted() -> String {
        let mut p = Pseudonyms::new(Some(b"k"));
        String::from_utf8(redact(INVITE.as_bytes(), &mut p)).unwrap()
    }

    #[test]
    fn nothing_personal_or_secret_remains() {
        let out = redacted();
        for secret in [
            "10.0.0.1",
            "10.0.0.2",
            "alice",
            "bob@",
            "Alice Liddell",
            "Bob <",
            "Carol",
            "84a4cc6f3082121f32b42a2187831a9e",
            "7587245234b3434cc3412213e5f113a5",
            "0a4f113b",
        ] {
            assert!(!out.contains(secret), "{secret} in\n{out}");
        }
        // What carries no person stays: domains, realm, tags, branch, codecs.
        for kept in [
            "atlanta.com",
            "tag=1928301774",
            "z9hG4bK776asdhds",
            "RTP/AVP 0",
            "qop=auth",
        ] {
            assert!(out.contains(kept), "{kept} missing in\n{out}");
        }
    }

    #[test]
    fn the_message_still_frames_with_its_new_length() {
        let out = redacted();
        let framed = crate::sip::framing::frame_datagram(out.as_bytes()).unwrap();
        assert_eq!(framed.len, out.len());
        let body = &out[out.find("\r\n\r\n").unwrap() + 4..];
        assert!(
            out.contains(&format!("Content-Length: {}\r\n", body.len())),
            "{out}"
        );
    }

    #[test]
    fn the_same_value_gets_the_same_stand_in_everywhere() {
        let out = redacted();
        // The user of From and the Digest username are one person.
        let from_user = out
            .split("<sip:")
            .nth(1)
            .unwrap()
            .split('@')
            .next()
            .unwrap();
        assert!(out.contains(&format!("username=\"{from_user}\"")), "{out}");
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_redact_without_panic(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..600)) {
            let mut p = Pseudonyms::new(None);
            let _ = redact(&bytes, &mut p);
        }

        #[test]
        fn no_address_user_or_nonce_survives(
            ip in proptest::prelude::any::<[u8; 4]>(),
            user in "[a-z]{3,10}",
            number in "\\+?[0-9]{4,15}",
            nonce in "[0-9a-f]{16,40}",
        ) {
            let ip = std::net::Ipv4Addr::from(ip);
            let message = format!(
                "INVITE sip:{number}@{ip} SIP/2.0\r\nVia: SIP/2.0/UDP {ip}:5060\r\n\
                 From: \"{user}\" <sip:{user}@{ip}>;tag=1\r\nCall-ID: x@{ip}\r\n\
                 Authorization: Digest username=\"{user}\", nonce=\"{nonce}\", response=\"{nonce}\"\r\n\
                 Content-Length: 0\r\n\r\n"
            );
            let mut p = Pseudonyms::new(None);
            let out = String::from_utf8(redact(message.as_bytes(), &mut p)).unwrap();
            if !ip.is_unspecified() && !ip.is_broadcast() {
                let bounded = out.match_indices(&ip.to_string()).any(|(i, m)| {
                    let before = out[..i].chars().last();
                    let after = out[i + m.len()..].chars().next();
                    !before.is_some_and(|c| c.is_ascii_digit() || c == '.')
                        && !after.is_some_and(|c| c.is_ascii_digit())
                });
                proptest::prop_assert!(!bounded, "{}", out);
            }
            proptest::prop_assert!(!out.contains(&format!("sip:{number}@")), "{}", out);
            proptest::prop_assert!(!out.contains(&format!("\"{user}\"")), "{}", out);
            proptest::prop_assert!(!out.contains(&nonce), "{}", out);
        }
    }

    #[test]
    fn damaged_or_odd_text_never_panics() {
        let mut p = Pseudonyms::new(None);
        for text in [
            &b""[..],
            b"\r\n\r\n",
            b"INVITE",
            b"From: \"unterminated <sip:a@b\r\n",
            b"Authorization: Digest\r\n",
            b"Authorization:\r\n",
            b"To: <<<>>>,,,\"\\",
            b"Content-Length: -5\r\n\r\nabc",
            &[0xff, 0xfe, b':', 0x80, b'\n', b' ', 0xc3],
        ] {
            let _ = redact(text, &mut p);
        }
    }
}
