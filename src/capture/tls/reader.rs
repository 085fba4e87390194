//! One direction of a TLS connection: records cut from the in-order bytes, the hellos read,
//! protected records opened with the keys of the key log, and the plaintext of application
//! data handed on. TLS 1.3 switches from handshake to application keys at its Finished and
//! follows key updates; TLS 1.2 switches at ChangeCipherSpec.

use std::net::SocketAddr;

use super::cipher::{OpenError, RecordCipher};
use super::schedule;
use super::session::{Hello, Session, read_hello};
use super::{Reason, TlsConnections};
use crate::capture::warning::WarningKind;

/// Largest record body (RFC 8446 §5.2: 2^14 + 256; TLS 1.2 allows 2^14 + 2048).
const MAX_RECORD: usize = (1 << 14) + 2048;
/// Damaged records in a row before the keys are taken to have lost track (a damaged Finished
/// or KeyUpdate: every record after it fails) and reading stops.
const MAX_FAILURES: u32 = 4;
/// Handshake bytes held while a message is incomplete.
const MAX_HANDSHAKE: usize = 1 << 16;

const CHANGE_CIPHER_SPEC: u8 = 20;
const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const APPLICATION_DATA: u8 = 23;

/// What the reader hands on.
#[derive(Debug)]
pub enum Plain<'a> {
    /// Application data, in order.
    Bytes(&'a [u8]),
    /// Application data was lost (a damaged record): framing must resynchronise.
    Lost,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    Client,
    Server,
}

/// Which keys protect the records of this direction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Epoch {
    /// Nothing protected yet.
    Clear,
    /// TLS 1.3 handshake traffic keys.
    Handshake,
    /// Application traffic keys (TLS 1.3, after Finished; TLS 1.2 after ChangeCipherSpec).
    Application,
}

/// The reading state of one direction.
#[derive(Debug)]
pub struct TlsReader {
    src: SocketAddr,
    dst: SocketAddr,
    /// Bytes of the record being received.
    pending: Vec<u8>,
    role: Option<Role>,
    epoch: Epoch,
    cipher: Option<RecordCipher>,
    /// The current TLS 1.3 traffic secret (for key updates).
    secret: Vec<u8>,
    /// Handshake bytes not yet read as whole messages.
    handshake: Vec<u8>,
    /// Records opened so far: when none opens, the key is wrong; later failures are damage.
    opened: u64,
    /// Records in a row that did not open: past [`MAX_FAILURES`], the keys lost track.
    failures: u32,
    /// Reading stopped: keys missing or wrong, or not SIP inside; bytes are only counted.
    stopped: bool,
}

impl TlsReader {
    /// A reader for the direction `src` → `dst`.
    pub fn new(src: SocketAddr, dst: SocketAddr) -> TlsReader {
        TlsReader {
            src,
            dst,
            pending: Vec::new(),
            role: None,
            epoch: Epoch::Clear,
            cipher: None,
            secret: Vec::new(),
            handshake: Vec::new(),
            opened: 0,
            failures: 0,
            stopped: false,
        }
    }

    /// Bytes held (an incomplete record or handshake message).
    pub fn footprint(&self) -> usize {
        self.pending.len() + self.handshake.len()
    }

    /// Stops reading: what it carries is not wanted (not SIP).
    pub fn stop(&mut self) {
        self.stopped = true;
        self.pending = Vec::new();
        self.handshake = Vec::new();
        self.cipher = None;
    }

    /// The connection's key: (client, server).
    fn session_key(&self) -> Option<(SocketAddr, SocketAddr)> {
        match self.role? {
            Role::Client => Some((self.src, self.dst)),
            Role::Server => Some((self.dst, self.src)),
        }
    }

    /// Takes in-order bytes of the stream; hands `out` the application data they complete.
    pub fn read(
        &mut self,
        bytes: &[u8],
        tls: &mut TlsConnections,
        out: &mut dyn FnMut(Plain<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        tls.bytes += bytes.len() as u64;
        if self.stopped {
            return;
        }
        self.pending.extend_from_slice(bytes);
        // Taken out while its records are read, so that they are read in place.
        let pending = std::mem::take(&mut self.pending);
        let mut at = 0;
        while !self.stopped {
            let Some(&[kind, major, minor, l0, l1]) = pending.get(at..at + 5) else {
                break;
            };
            let len = usize::from(u16::from_be_bytes([l0, l1]));
            if !(CHANGE_CIPHER_SPEC..=24).contains(&kind) || major != 3 || len > MAX_RECORD {
                self.give_up(tls, Reason::NotTls, on_warning);
                break;
            }
            let Some(body) = pending.get(at + 5..at + 5 + len) else {
                break;
            };
            at += 5 + len;
            self.record([kind, major, minor, l0, l1], body, tls, out, on_warning);
        }
        if !self.stopped {
            self.pending = pending;
            self.pending.drain(..at.min(self.pending.len()));
        }
    }

    fn record(
        &mut self,
        header: [u8; 5],
        body: &[u8],
        tls: &mut TlsConnections,
        out: &mut dyn FnMut(Plain<'_>),
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        let [kind, ..] = header;
        let tls13 = self
            .session(tls)
            .and_then(|s| s.server.as_ref())
            .is_some_and(|c| c.tls13);
        if kind == CHANGE_CIPHER_SPEC {
            if !tls13 {
                self.install_tls12(tls, on_warning);
            }
            return;
        }
        if self.cipher.is_none() {
            if kind == HANDSHAKE && self.epoch == Epoch::Clear {
                self.handshake_bytes(body, tls, on_warning);
                return;
            }
            if kind == ALERT && self.epoch == Epoch::Clear {
                return;
            }
            if tls13 && self.epoch == Epoch::Clear {
                self.install_tls13(tls, Epoch::Handshake, on_warning);
            }
            if self.cipher.is_none() {
                if !self.stopped {
                    let reason = if self.session(tls).is_none() {
                        Reason::NoHandshake
                    } else {
                        Reason::NoKey
                    };
                    self.give_up(tls, reason, on_warning);
                }
                return;
            }
        }
        let Some(cipher) = self.cipher.as_mut() else {
            return;
        };
        match cipher.open(header, body) {
            Ok(opened) => {
                self.opened += 1;
                self.failures = 0;
                match opened.content_type {
                    APPLICATION_DATA => {
                        tls.decrypted_bytes += opened.plaintext.len() as u64;
                        out(Plain::Bytes(&opened.plaintext));
                    }
                    HANDSHAKE => self.handshake_bytes(&opened.plaintext, tls, on_warning),
                    _ => {}
                }
            }
            Err(_) if self.opened == 0 => self.give_up(tls, Reason::WrongKey, on_warning),
            Err(_) if self.failures >= MAX_FAILURES => {
                self.give_up(tls, Reason::LostTrack, on_warning);
            }
            Err(error) => {
                self.failures += 1;
                on_warning(WarningKind::TlsRecordDamaged {
                    src: self.src,
                    dst: self.dst,
                    bytes: body.len() as u64,
                    reason: match error {
                        OpenError::Authentication => "it does not authenticate",
                        OpenError::Malformed => "it is malformed for its cipher",
                    },
                });
                if kind == APPLICATION_DATA {
                    out(Plain::Lost);
                }
            }
        }
    }

    /// Reads whole handshake messages: the hellos in the clear, Finished and KeyUpdate under
    /// TLS 1.3 protection.
    fn handshake_bytes(
        &mut self,
        bytes: &[u8],
        tls: &mut TlsConnections,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        self.handshake.extend_from_slice(bytes);
        let buffered = std::mem::take(&mut self.handshake);
        let mut at = 0;
        while let Some(&[kind, l0, l1, l2]) = buffered.get(at..at + 4) {
            let len = usize::from(l0) << 16 | usize::from(l1) << 8 | usize::from(l2);
            let Some(message) = buffered.get(at..at + 4 + len) else {
                break;
            };
            at += 4 + len;
            self.handshake_message(kind, message, tls, on_warning);
            if self.stopped {
                return;
            }
        }
        self.handshake = buffered;
        self.handshake.drain(..at.min(self.handshake.len()));
        if self.handshake.len() > MAX_HANDSHAKE {
            self.handshake = Vec::new();
        }
    }

    fn handshake_message(
        &mut self,
        kind: u8,
        message: &[u8],
        tls: &mut TlsConnections,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        match kind {
            1 | 2 if self.epoch == Epoch::Clear => match read_hello(message, tls.keys.as_deref()) {
                Some(Hello::Client(session)) => {
                    self.role = Some(Role::Client);
                    tls.streams += 1;
                    let key = (self.src, self.dst);
                    let missing = session.secrets.is_none();
                    tls.insert(key, session);
                    if missing {
                        let reason = if tls.keys.is_some() {
                            Reason::NoKey
                        } else {
                            Reason::NoKeyLog
                        };
                        self.give_up(tls, reason, on_warning);
                    }
                }
                Some(Hello::Server(choice)) => {
                    self.role = Some(Role::Server);
                    let suite_id = choice.suite_id;
                    let known = choice.suite.is_some();
                    let Some(session) = tls.sessions.get_mut(&(self.dst, self.src)) else {
                        return;
                    };
                    session.server = Some(choice);
                    if !known {
                        self.give_up(tls, Reason::Suite(suite_id), on_warning);
                    } else if self.session(tls).is_some_and(|s| s.secrets.is_none()) {
                        self.stopped = true;
                    }
                }
                None => {}
            },
            // Finished: this side's next records use the application traffic keys.
            20 if self.epoch == Epoch::Handshake => {
                self.install_tls13(tls, Epoch::Application, on_warning);
            }
            // KeyUpdate: the next generation of this side's traffic secret.
            24 if self.epoch == Epoch::Application && !self.secret.is_empty() => {
                let Some(suite) = self.suite(tls) else { return };
                let next = schedule::expand_label(
                    suite.hash,
                    &self.secret,
                    "traffic upd",
                    suite.hash.output_len(),
                );
                match next.and_then(|s| Some((RecordCipher::tls13(suite, &s)?, s))) {
                    Some((cipher, secret)) => {
                        self.cipher = Some(cipher);
                        self.secret = secret;
                    }
                    None => self.give_up(tls, Reason::WrongKey, on_warning),
                }
            }
            _ => {}
        }
    }

    fn session<'t>(&self, tls: &'t TlsConnections) -> Option<&'t Session> {
        tls.sessions.get(&self.session_key()?)
    }

    fn suite(&self, tls: &TlsConnections) -> Option<super::suite::Suite> {
        self.session(tls)?.server.as_ref()?.suite
    }

    /// TLS 1.3: the handshake or application traffic keys of this side.
    fn install_tls13(
        &mut self,
        tls: &mut TlsConnections,
        epoch: Epoch,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        let (Some(session), Some(suite), Some(role)) =
            (self.session(tls), self.suite(tls), self.role)
        else {
            return;
        };
        let Some(secrets) = &session.secrets else {
            return;
        };
        let secret = match (role, epoch) {
            (Role::Client, Epoch::Handshake) => &secrets.client_handshake,
            (Role::Server, Epoch::Handshake) => &secrets.server_handshake,
            (Role::Client, _) => &secrets.client_traffic,
            (Role::Server, _) => &secrets.server_traffic,
        };
        let Some(secret) = secret.clone() else {
            self.give_up(tls, Reason::NoKey, on_warning);
            return;
        };
        self.cipher = RecordCipher::tls13(suite, &secret);
        self.secret = secret;
        self.epoch = epoch;
    }

    /// TLS 1.2: this side's keys from the master secret, after its ChangeCipherSpec.
    fn install_tls12(&mut self, tls: &mut TlsConnections, on_warning: &mut dyn FnMut(WarningKind)) {
        let (Some(session), Some(role)) = (self.session(tls), self.role) else {
            return;
        };
        let (Some(choice), Some(master)) = (
            session.server.as_ref(),
            session.secrets.as_ref().and_then(|s| s.master.as_ref()),
        ) else {
            self.give_up(tls, Reason::NoKey, on_warning);
            return;
        };
        let Some(suite) = choice.suite else { return };
        let (mac_len, iv_len) = match suite.protection {
            super::suite::Protection::AesCbc(_, mac) => (mac.output_len(), 16),
            super::suite::Protection::AesGcm(_) => (0, 4),
            super::suite::Protection::ChaCha20Poly1305 => (0, 12),
        };
        let key_len = suite.protection.key_len();
        let mut seed = choice.random.clone();
        seed.extend_from_slice(&session.client_random);
        let total = 2 * (mac_len + key_len + iv_len);
        let Some(block) = schedule::prf(suite.hash, master, "key expansion", &seed, total) else {
            return;
        };
        let side = usize::from(role == Role::Server);
        let part =
            |start: usize, len: usize| block.get(start + side * len..start + (side + 1) * len);
        let keys = (
            part(0, mac_len),
            part(2 * mac_len, key_len),
            part(2 * (mac_len + key_len), iv_len),
        );
        let etm = choice.encrypt_then_mac;
        if let (Some(mac_key), Some(key), Some(iv)) = keys {
            self.cipher = RecordCipher::tls12(suite, key, mac_key, iv, etm);
            self.epoch = Epoch::Application;
        }
    }

    /// Stops reading this direction, with one warning per connection.
    fn give_up(
        &mut self,
        tls: &mut TlsConnections,
        reason: Reason,
        on_warning: &mut dyn FnMut(WarningKind),
    ) {
        self.stop();
        let key = self.session_key().unwrap_or((self.src, self.dst));
        let key = if tls.sessions.contains_key(&key) {
            key
        } else {
            (key.1, key.0)
        };
        match tls.sessions.get_mut(&key) {
            Some(session) => {
                if std::mem::replace(&mut session.warned, true) {
                    return;
                }
            }
            // No handshake seen: remember the connection, so that its other direction is
            // not reported again.
            None => tls.insert(
                key,
                Session {
                    client_random: Vec::new(),
                    secrets: None,
                    server: None,
                    warned: true,
                },
            ),
        }
        tls.unreadable += 1;
        on_warning(WarningKind::TlsUnreadable {
            client: key.0,
            server: key.1,
            reason: reason.to_string(),
        });
    }
}
