//! WebSocket (RFC 6455) as SIP uses it (RFC 7118): the HTTP Upgrade handshake that turns a
//! TCP stream into WebSocket, and the frames (masked or not, fragmented or not) that carry one
//! SIP message per WebSocket message. Pure functions over byte buffers, so the same code will
//! serve WebSocket over TLS once decrypted.

use memchr::memmem;

/// Largest WebSocket message assembled; more is treated as damage.
pub const MAX_MESSAGE: usize = 16 << 20;

/// Does this HTTP header section (request or response) upgrade the connection to WebSocket?
pub fn is_upgrade(headers: &[u8]) -> bool {
    let lower = headers.to_ascii_lowercase();
    let request = lower.starts_with(b"get ");
    let response = lower.starts_with(b"http/1.1 101") || lower.starts_with(b"http/1.0 101");
    (request || response) && memmem::find(&lower, b"upgrade: websocket").is_some()
}

/// Could these bytes be the start of an HTTP Upgrade exchange?
pub fn looks_like_http(bytes: &[u8]) -> bool {
    bytes.starts_with(b"GET ") || bytes.starts_with(b"HTTP/1.")
}

/// A frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    /// Last frame of the message.
    pub fin: bool,
    /// 0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong.
    pub opcode: u8,
    /// The masking key (client to server frames).
    pub mask: Option<[u8; 4]>,
    /// Bytes of header.
    pub header_len: usize,
    /// Bytes of payload.
    pub payload_len: usize,
}

/// The outcome of reading a frame header at the front of a buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameRead {
    /// A header; the payload may not have fully arrived.
    Header(FrameHeader),
    /// More bytes are needed for the header.
    Incomplete,
    /// Not a valid frame (reserved opcode, absurd length).
    Invalid,
}

/// Reads the frame header at the front of `buf`.
pub fn read_frame(buf: &[u8]) -> FrameRead {
    let (Some(&b0), Some(&b1)) = (buf.first(), buf.get(1)) else {
        return FrameRead::Incomplete;
    };
    let opcode = b0 & 0x0f;
    if !matches!(opcode, 0 | 1 | 2 | 8 | 9 | 10) || b0 & 0x70 != 0 {
        return FrameRead::Invalid;
    }
    let masked = b1 & 0x80 != 0;
    let (len, mut at) = match b1 & 0x7f {
        126 => match (buf.get(2), buf.get(3)) {
            (Some(a), Some(b)) => (u64::from(u16::from_be_bytes([*a, *b])), 4),
            _ => return FrameRead::Incomplete,
        },
        127 => match buf.get(2..10) {
            Some(b) => {
                let mut a = [0u8; 8];
                a.copy_from_slice(b);
                (u64::from_be_bytes(a), 10)
            }
            None => return FrameRead::Incomplete,
        },
        n => (u64::from(n), 2),
    };
    if len > MAX_MESSAGE as u64 {
        return FrameRead::Invalid;
    }
    let mask = if masked {
        match buf.get(at..at + 4) {
            Some(k) => {
                at += 4;
                Some([k[0], k[1], k[2], k[3]])
            }
            None => return FrameRead::Incomplete,
        }
    } else {
        None
    };
    FrameRead::Header(FrameHeader {
        fin: b0 & 0x80 != 0,
        opcode,
        mask,
        header_len: at,
        payload_len: len as usize,
    })
}

/// Appends a frame's payload to `out`, unmasked.
pub fn unmask_into(out: &mut Vec<u8>, payload: &[u8], mask: Option<[u8; 4]>) {
    match mask {
        None => out.extend_from_slice(payload),
        Some(key) => out.extend(
            payload
                .iter()
                .zip(key.iter().cycle())
                .map(|(byte, k)| byte ^ k),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_the_handshake() {
        assert!(is_upgrade(
            b"GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Protocol: sip\r\n\r\n"
        ));
        assert!(is_upgrade(
            b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n"
        ));
        assert!(!is_upgrade(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    #[test]
    fn reads_masked_and_extended_frames() {
        let key = [1, 2, 3, 4];
        let text = b"SIP/2.0 200 OK\r\n\r\n";
        let mut frame = vec![0x81, 0x80 | text.len() as u8];
        frame.extend_from_slice(&key);
        frame.extend(text.iter().zip(key.iter().cycle()).map(|(b, k)| b ^ k));
        let FrameRead::Header(h) = read_frame(&frame) else {
            panic!()
        };
        assert_eq!(
            (h.fin, h.opcode, h.header_len, h.payload_len),
            (true, 1, 6, text.len())
        );
        let mut out = Vec::new();
        unmask_into(&mut out, &frame[h.header_len..], h.mask);
        assert_eq!(out, text);
        let long = [0x01, 126, 0x01, 0x00];
        assert!(matches!(
            read_frame(&long),
            FrameRead::Header(FrameHeader {
                payload_len: 256,
                fin: false,
                ..
            })
        ));
        assert_eq!(read_frame(&[0x81]), FrameRead::Incomplete);
        assert_eq!(read_frame(&[0x83, 0]), FrameRead::Invalid);
        assert_eq!(
            read_frame(&[0x82, 127, 0xff, 0, 0, 0, 0, 0, 0, 0]),
            FrameRead::Invalid
        );
    }
}
