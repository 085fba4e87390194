//! Datagrams that start like a SIP message but whose start line is not one: `INVITE
//! sip:100@host` without its version, `INVITE  SIP/2.0` without a Request-URI, `SIP/2.0 2OO
//! OK`. Scanners and fuzzers send them by the thousand. They are not SIP (tshark does not count
//! them either), but dropping them without a word would hide an attack: the capture layer
//! reports each as a warning with what could be read of its first line.

use super::framing;

/// Longest first line looked at, and shown.
const MAX_SHOWN: usize = 120;

/// The first line of `bytes` when it looks like a SIP start line but is not one: it opens with
/// `SIP/`, or with an upper-case method-like token and a space and names `sip:` or `SIP/`.
pub fn broken_start_line(bytes: &[u8]) -> Option<&str> {
    if framing::start_line(bytes).is_some() {
        return None;
    }
    let window = bytes.get(..MAX_SHOWN).unwrap_or(bytes);
    let end = memchr::memchr2(b'\r', b'\n', window)?;
    let line = std::str::from_utf8(window.get(..end)?).ok()?;
    if line.bytes().any(|b| b.is_ascii_control()) {
        return None;
    }
    if line.starts_with("SIP/") {
        return Some(line);
    }
    let (token, rest) = line.split_once(' ')?;
    let method_like = token.len() >= 3 && token.bytes().all(|b| b.is_ascii_uppercase());
    let sip_like = rest.contains("sip:") || rest.contains("sips:") || rest.contains("SIP/");
    (method_like && sip_like).then_some(line)
}

#[cfg(test)]
mod tests {
    use super::broken_start_line;

    #[test]
    fn broken_start_lines_and_others() {
        let no_version = b"INVITE sip:100@192.0.2.1\r\nCall-ID: x\r\n\r\n";
        assert_eq!(
            broken_start_line(no_version),
            Some("INVITE sip:100@192.0.2.1")
        );
        assert!(broken_start_line(b"INVITE  SIP/2.0\r\n\r\n").is_some());
        assert!(broken_start_line(b"SIP/2.0 2OO OK\r\n\r\n").is_some());
        assert_eq!(broken_start_line(b"OPTIONS sip:a@b SIP/2.0\r\n\r\n"), None);
        assert_eq!(broken_start_line(b"GET / HTTP/1.1\r\n\r\n"), None);
        assert_eq!(broken_start_line(b"\x80\x08\x00\x01binary"), None);
        assert_eq!(broken_start_line(b"INVITE sip:no-line-end"), None);
    }
}
