//! The NSS key log format that browsers, OpenSSL, Python's `ssl`, curl and rustls write
//! (`SSLKEYLOGFILE`): one secret a line, `LABEL CLIENT_RANDOM SECRET` in hex, found by the
//! client random of the connection's ClientHello.

use std::collections::HashMap;
use std::path::Path;

/// A client random: the 32 bytes that name a connection in a key log.
pub type ClientRandom = [u8; 32];

/// The secrets logged for one connection.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Secrets {
    /// TLS 1.2 master secret (`CLIENT_RANDOM`; extended master secret too).
    pub master: Option<Vec<u8>>,
    /// TLS 1.3 `CLIENT_HANDSHAKE_TRAFFIC_SECRET`.
    pub client_handshake: Option<Vec<u8>>,
    /// TLS 1.3 `SERVER_HANDSHAKE_TRAFFIC_SECRET`.
    pub server_handshake: Option<Vec<u8>>,
    /// TLS 1.3 `CLIENT_TRAFFIC_SECRET_0`.
    pub client_traffic: Option<Vec<u8>>,
    /// TLS 1.3 `SERVER_TRAFFIC_SECRET_0`.
    pub server_traffic: Option<Vec<u8>>,
}

/// Every connection's secrets from one or more key logs.
#[derive(Clone, Debug, Default)]
pub struct KeyLog {
    by_random: HashMap<ClientRandom, Secrets>,
}

/// A key log that could not be read.
#[derive(Debug, thiserror::Error)]
#[error("cannot read the TLS key log {path}")]
pub struct KeyLogError {
    /// The file.
    pub path: String,
    /// Why.
    #[source]
    pub source: std::io::Error,
}

/// Secrets longer than this are not TLS secrets (SHA-384 gives 48 bytes).
const MAX_SECRET: usize = 64;

impl KeyLog {
    /// Reads a key log file.
    pub fn load(path: &Path) -> Result<KeyLog, KeyLogError> {
        let text = std::fs::read(path).map_err(|source| KeyLogError {
            path: path.display().to_string(),
            source,
        })?;
        Ok(KeyLog::parse(&String::from_utf8_lossy(&text)))
    }

    /// Reads key log lines; comments, unknown labels and damaged lines are skipped.
    pub fn parse(text: &str) -> KeyLog {
        let mut log = KeyLog::default();
        for line in text.lines() {
            let mut fields = line.split_ascii_whitespace();
            let (Some(label), Some(random), Some(secret), None) =
                (fields.next(), fields.next(), fields.next(), fields.next())
            else {
                continue;
            };
            let (Some(random), Some(secret)) = (unhex(random), unhex(secret)) else {
                continue;
            };
            let Ok(random) = ClientRandom::try_from(random.as_slice()) else {
                continue;
            };
            if secret.is_empty() || secret.len() > MAX_SECRET {
                continue;
            }
            let entry = log.by_random.entry(random).or_default();
            let slot = match label {
                "CLIENT_RANDOM" => &mut entry.master,
                "CLIENT_HANDSHAKE_TRAFFIC_SECRET" => &mut entry.client_handshake,
                "SERVER_HANDSHAKE_TRAFFIC_SECRET" => &mut entry.server_handshake,
                "CLIENT_TRAFFIC_SECRET_0" => &mut entry.client_traffic,
                "SERVER_TRAFFIC_SECRET_0" => &mut entry.server_traffic,
                _ => continue,
            };
            *slot = Some(secret);
        }
        log.by_random.retain(|_, s| *s != Secrets::default());
        log
    }

    /// The secrets of the connection whose ClientHello carried `random`.
    pub fn secrets(&self, random: &[u8]) -> Option<&Secrets> {
        self.by_random.get(&ClientRandom::try_from(random).ok()?)
    }

    /// Connections with at least one secret.
    pub fn len(&self) -> usize {
        self.by_random.len()
    }

    /// No secret at all.
    pub fn is_empty(&self) -> bool {
        self.by_random.is_empty()
    }
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 || s.len() > 2 * MAX_SECRET {
        return None;
    }
    s.as_bytes()
        .chunks(2)
        .map(|pair| {
            let digit = |c: u8| char::from(c).to_digit(16);
            let (hi, lo) = (digit(*pair.first()?)?, digit(*pair.get(1)?)?);
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_tls12_and_tls13_lines_and_skips_the_rest() {
        let random = "ab".repeat(32);
        let text = format!(
            "# a comment\nCLIENT_RANDOM {random} {}\nSERVER_HANDSHAKE_TRAFFIC_SECRET {random} {}\nEXPORTER_SECRET {random} 00\nCLIENT_RANDOM zz 00\nCLIENT_RANDOM {random}\n",
            "11".repeat(48),
            "22".repeat(32)
        );
        let log = KeyLog::parse(&text);
        assert_eq!(log.len(), 1);
        let secrets = log.secrets(&[0xab; 32]).unwrap();
        assert_eq!(secrets.master.as_deref(), Some(&[0x11; 48][..]));
        assert_eq!(secrets.server_handshake.as_deref(), Some(&[0x22; 32][..]));
        assert_eq!(secrets.client_traffic, None);
        assert!(log.secrets(&[0; 32]).is_none());
        assert!(log.secrets(&[0xab; 3]).is_none());
    }
}
