//! Redacting a message body by its type: SDP line by line, structured text (XML, sipfrag,
//! DTMF) by its URIs, free text blanked, anything else (binary ISUP, images...) zeroed. The
//! addresses are replaced afterwards, over the whole body, by the caller.

use super::pseudonym::Pseudonyms;
use super::scan;

/// `body` redacted as its `content_type` says.
pub(crate) fn redact(body: &[u8], content_type: &str, p: &mut Pseudonyms) -> Vec<u8> {
    if body.is_empty() {
        return Vec::new();
    }
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    match media_type.as_str() {
        "application/sdp" => sdp(body, p),
        // A message typed in a chat: nothing of it can be told safely.
        t if t.starts_with("text/") && !t.ends_with("xml") => blank(body),
        t if t.ends_with("xml")
            || t.starts_with("multipart/")
            || t == "message/sipfrag"
            || t == "application/dtmf-relay"
            || t == "application/dtmf"
            || t.is_empty() =>
        {
            scan::uris(body, p)
        }
        _ => vec![0; body.len()],
    }
}

/// Every printable byte replaced by `x`, line breaks kept.
fn blank(body: &[u8]) -> Vec<u8> {
    body.iter()
        .map(|&c| if matches!(c, b'\r' | b'\n') { c } else { b'x' })
        .collect()
}

/// SDP: the owner's user name, contact details, free text and keys replaced.
fn sdp(body: &[u8], p: &mut Pseudonyms) -> Vec<u8> {
    let mut out = Vec::with_capacity(body.len() + 32);
    for line in body.split_inclusive(|&c| c == b'\n') {
        let text_len = line
            .iter()
            .rposition(|&c| c != b'\r' && c != b'\n')
            .map_or(0, |i| i + 1);
        let (text, ending) = line.split_at(text_len);
        let text = String::from_utf8_lossy(text);
        out.extend(sdp_line(&text, p).into_bytes());
        out.extend_from_slice(ending);
    }
    out
}

fn sdp_line(line: &str, p: &mut Pseudonyms) -> String {
    let Some((kind, value)) = line.split_once('=') else {
        return line.to_string();
    };
    match kind {
        // o=<username> <sess-id> <sess-version> IN IP4 <address>
        "o" => match value.split_once(' ') {
            Some((user, rest)) if user != "-" => {
                format!("o={} {rest}", scan::person(user.as_bytes(), p))
            }
            _ => line.to_string(),
        },
        "e" => format!("e={}@example.invalid", p.user(value)),
        "p" => format!("p={}", p.number(value)),
        "i" | "u" => format!("{kind}={}", p.name(value)),
        "k" => format!("k={}", p.token(value)),
        "a" => attribute(value, p),
        _ => line.to_string(),
    }
}

/// The attributes that carry secrets: ICE credentials, SRTP keys, MIKEY.
fn attribute(value: &str, p: &mut Pseudonyms) -> String {
    let (name, rest) = value.split_once(':').unwrap_or((value, ""));
    match name {
        "ice-ufrag" | "ice-pwd" | "key-mgmt" => format!("a={name}:{}", p.token(rest)),
        "crypto" => format!("a=crypto:{}", inline_keys(rest, p)),
        _ => format!("a={value}"),
    }
}

/// `a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:KEY|2^20|1:32` with each key replaced.
fn inline_keys(rest: &str, p: &mut Pseudonyms) -> String {
    let mut out = String::with_capacity(rest.len());
    let mut remaining = rest;
    while let Some(at) = remaining.find("inline:") {
        let (before, after) = remaining.split_at(at + "inline:".len());
        out.push_str(before);
        let end = after.find(['|', ' ', ';']).unwrap_or(after.len());
        out.push_str(&p.token(&after[..end]));
        remaining = &after[end..];
    }
    out.push_str(remaining);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sdp_secrets_and_owner_are_replaced() {
        let body = "v=0\r\no=alice 1 1 IN IP4 10.0.0.1\r\ne=alice@example.com\r\n\
a=crypto:1 AES_CM_128_HMAC_SHA1_80 inline:PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR|2^20|1:32\r\n\
a=ice-pwd:asd88fgpdd777uzjYhagZg\r\na=rtpmap:0 PCMU/8000\r\n";
        let mut p = Pseudonyms::new(None);
        let out = String::from_utf8(redact(body.as_bytes(), "application/sdp", &mut p)).unwrap();
        for secret in [
            "alice",
            "PS1uQCVeeCFCanVmcjkpPywjNWhcYD0mXXtxaVBR",
            "asd88fgpdd777uzjYhagZg",
        ] {
            assert!(!out.contains(secret), "{out}");
        }
        assert!(
            out.contains("|2^20|1:32\r\n") && out.contains("a=rtpmap:0 PCMU/8000"),
            "{out}"
        );
    }

    #[test]
    fn chat_text_is_blanked_and_binary_zeroed() {
        let mut p = Pseudonyms::new(None);
        assert_eq!(redact(b"hi Bob\r\n", "text/plain", &mut p), b"xxxxxx\r\n");
        assert_eq!(redact(&[1, 2, 3], "application/isup", &mut p), [0, 0, 0]);
    }
}
