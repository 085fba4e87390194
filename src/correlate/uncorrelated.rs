//! Messages that nothing ties to the others: without a Call-ID (RFC 3261 §8.1.1.4 makes it
//! mandatory in every request and response), a message belongs to no dialog and no exchange.
//! Grouped under an empty Call-ID, a flood of them made one "call" of thousands of unrelated
//! messages from thousands of senders; they are counted instead, in one warning naming the first.

use crate::capture::{SipPayload, Warning, WarningKind};

/// The longest start line a warning quotes, in bytes.
const QUOTED_LINE: usize = 120;

/// The messages without a Call-ID seen so far: how many, and the first one.
#[derive(Debug, Default)]
pub(super) struct WithoutCallId {
    messages: u64,
    first: Option<Warning>,
}

impl WithoutCallId {
    /// Counts `payload`, a message without a Call-ID.
    pub(super) fn note(&mut self, payload: &SipPayload<'_>) {
        self.messages += 1;
        if self.first.is_none() {
            self.first = Some(Warning {
                frame: Some(payload.frame),
                kind: WarningKind::WithoutCallId {
                    messages: 1,
                    src: payload.src,
                    dst: payload.dst,
                    line: start_line(payload.bytes),
                },
            });
        }
    }

    /// The warning that counts them, when there were some.
    pub(super) fn warning(&self) -> Option<Warning> {
        let mut warning = self.first.clone()?;
        if let WarningKind::WithoutCallId { messages, .. } = &mut warning.kind {
            *messages = self.messages;
        }
        Some(warning)
    }
}

/// The first line of a message, cut to [`QUOTED_LINE`] bytes at a character boundary.
fn start_line(bytes: &[u8]) -> String {
    let end = bytes
        .iter()
        .position(|&b| b == b'\r' || b == b'\n')
        .unwrap_or(bytes.len());
    let line = String::from_utf8_lossy(bytes.get(..end).unwrap_or(bytes));
    match line.char_indices().nth(QUOTED_LINE) {
        Some((cut, _)) => line.get(..cut).unwrap_or_default().to_owned(),
        None => line.into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::start_line;

    #[test]
    fn start_lines_are_quoted_whole_or_cut() {
        assert_eq!(
            start_line(b"OPTIONS sip:100@192.0.2.1 SIP/2.0\r\nVia: x\r\n"),
            "OPTIONS sip:100@192.0.2.1 SIP/2.0"
        );
        assert_eq!(start_line(b"INVITE"), "INVITE");
        let long = format!("INVITE sip:{}@h SIP/2.0\r\n", "é".repeat(200));
        assert_eq!(start_line(long.as_bytes()).chars().count(), 120);
        assert_eq!(start_line(b"\xff\xfe bad\r\n"), "\u{fffd}\u{fffd} bad");
    }
}
