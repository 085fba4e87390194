//! What the two hellos of a connection say, shared by its two directions: the client random
//! (to find the secrets in the key log), the server random, the version and the suite.

use tls_parser::{TlsMessage, TlsMessageHandshake, parse_tls_message_handshake};

use super::keylog::{KeyLog, Secrets};
use super::suite::{self, Suite};

/// TLS extension numbers read from the ServerHello.
const EXT_ENCRYPT_THEN_MAC: u16 = 22;
const EXT_SUPPORTED_VERSIONS: u16 = 43;

/// The server's choices, from its ServerHello.
#[derive(Clone, Debug)]
pub struct ServerChoice {
    /// Server random (TLS 1.2 key block).
    pub random: Vec<u8>,
    /// The suite, when it is one this reader knows.
    pub suite: Option<Suite>,
    /// Its number, for messages.
    pub suite_id: u16,
    /// TLS 1.3 (supported_versions says 0x0304).
    pub tls13: bool,
    /// Encrypt-then-MAC negotiated (RFC 7366; CBC suites only).
    pub encrypt_then_mac: bool,
}

/// One connection's handshake, as far as it was seen.
#[derive(Clone, Debug)]
pub struct Session {
    /// The client random of the ClientHello.
    pub client_random: Vec<u8>,
    /// The secrets the key log holds for it.
    pub secrets: Option<Secrets>,
    /// What the ServerHello chose.
    pub server: Option<ServerChoice>,
    /// A warning about this connection was given already.
    pub warned: bool,
}

/// A hello read from a handshake message.
pub enum Hello {
    /// A ClientHello: a new session.
    Client(Session),
    /// A ServerHello.
    Server(ServerChoice),
}

/// Reads a ClientHello or ServerHello (a whole handshake message, header included).
pub fn read_hello(message: &[u8], keys: Option<&KeyLog>) -> Option<Hello> {
    let Ok((_, TlsMessage::Handshake(hs))) = parse_tls_message_handshake(message) else {
        return None;
    };
    match hs {
        TlsMessageHandshake::ClientHello(hello) => Some(Hello::Client(Session {
            client_random: hello.random.to_vec(),
            secrets: keys.and_then(|k| k.secrets(hello.random)).cloned(),
            server: None,
            warned: false,
        })),
        TlsMessageHandshake::ServerHello(hello) => {
            let mut choice = ServerChoice {
                random: hello.random.to_vec(),
                suite: suite::by_id(hello.cipher.0),
                suite_id: hello.cipher.0,
                tls13: false,
                encrypt_then_mac: false,
            };
            let mut ext = hello.ext.unwrap_or_default();
            while let [t0, t1, l0, l1, rest @ ..] = ext {
                let kind = u16::from_be_bytes([*t0, *t1]);
                let len = usize::from(u16::from_be_bytes([*l0, *l1]));
                let (data, after) = rest.split_at_checked(len)?;
                match kind {
                    EXT_SUPPORTED_VERSIONS => choice.tls13 = data == [3, 4],
                    EXT_ENCRYPT_THEN_MAC => choice.encrypt_then_mac = true,
                    _ => {}
                }
                ext = after;
            }
            Some(Hello::Server(choice))
        }
        _ => None,
    }
}
