/*!
TLS read with the secrets of a key log: one layer between a TCP stream's in-order bytes and
SIP framing (bytes → TLS records → plaintext → framing), so SIP over TLS and WebSocket over
TLS are framed like their plain twins.

A stream is taken for TLS by its first bytes (a record header), a check of five bytes. Each
connection is found in the key log by the client random of its ClientHello; without a key,
with a key that does not open its records, or with a suite not read here, nothing is invented:
the connection is reported once and its bytes are only counted.
*/

pub mod cipher;
pub mod keylog;
pub mod reader;
pub mod schedule;
pub mod session;
pub mod suite;

use std::collections::HashMap;
use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

pub use keylog::{KeyLog, KeyLogError};
pub use reader::{Plain, TlsReader};

use session::Session;

/// Connections whose handshake is remembered at once; beyond this the oldest are forgotten.
pub const MAX_SESSIONS: usize = 1 << 16;

/// Do the first bytes of a stream look like a TLS record (handshake, alert, change cipher
/// spec or application data, version 3.x, a length a record may have)?
pub fn looks_like_tls(bytes: &[u8]) -> bool {
    match bytes {
        [kind, 3, minor, l0, l1, ..] => {
            (20..=23).contains(kind)
                && *minor <= 4
                && usize::from(u16::from_be_bytes([*l0, *l1])) <= (1 << 14) + 2048
        }
        _ => false,
    }
}

/// Why a TLS connection could not be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reason {
    /// No key log was given.
    NoKeyLog,
    /// The key log has no secret for this connection's client random.
    NoKey,
    /// The keys of the key log do not open its records.
    WrongKey,
    /// The server chose a cipher suite that is not read here.
    Suite(u16),
    /// The capture starts after the handshake.
    NoHandshake,
    /// Several records in a row stopped opening (a damaged Finished or KeyUpdate).
    LostTrack,
    /// The bytes are not TLS records after all.
    NotTls,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::NoKeyLog => f.write_str("no TLS key log given (--tls-keylog or SSLKEYLOGFILE)"),
            Reason::NoKey => f.write_str("the key log has no key for this client random"),
            Reason::WrongKey => f.write_str("the key log's key for it does not open its records"),
            Reason::Suite(id) => write!(f, "cipher suite 0x{id:04x} is not supported"),
            Reason::NoHandshake => f.write_str("its handshake is not in the capture"),
            Reason::LostTrack => f.write_str("its records stopped opening after damage"),
            Reason::NotTls => f.write_str("a damaged record header"),
        }
    }
}

/// The TLS connections of a capture: the key log, each connection's handshake, and counts.
#[derive(Debug, Default)]
pub struct TlsConnections {
    keys: Option<Arc<KeyLog>>,
    /// Handshakes by (client, server).
    sessions: HashMap<(SocketAddr, SocketAddr), Session>,
    /// Connections whose ClientHello was seen.
    pub streams: u64,
    /// Bytes of TLS streams (records, both directions).
    pub bytes: u64,
    /// Application data bytes decrypted.
    pub decrypted_bytes: u64,
    /// Connections (or directions without a handshake) that could not be read.
    pub unreadable: u64,
}

impl TlsConnections {
    /// Connections read with these secrets.
    pub fn with_keys(keys: Option<Arc<KeyLog>>) -> TlsConnections {
        TlsConnections {
            keys,
            ..TlsConnections::default()
        }
    }

    fn insert(&mut self, key: (SocketAddr, SocketAddr), session: Session) {
        if self.sessions.len() >= MAX_SESSIONS {
            self.sessions.clear();
        }
        self.sessions.insert(key, session);
    }

    /// Forgets a connection whose two directions are gone.
    pub fn forget(&mut self, client: SocketAddr, server: SocketAddr) {
        self.sessions.remove(&(client, server));
        self.sessions.remove(&(server, client));
    }
}

#[cfg(test)]
mod tests;
