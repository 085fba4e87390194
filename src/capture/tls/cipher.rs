//! Opening protected records with the RustCrypto AEAD and block cipher crates: AES-GCM and
//! ChaCha20-Poly1305 as TLS 1.3 (RFC 8446 §5.2-5.3) and TLS 1.2 (RFC 5288, 7905) use them, and
//! AES-CBC with HMAC (RFC 5246 §6.2.3.2, encrypt-then-MAC of RFC 7366).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes128Gcm, Aes256Gcm};
use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeDecrypt, KeyIvInit};
use chacha20poly1305::ChaCha20Poly1305;

use super::schedule::{self, HashKind};
use super::suite::{Protection, Suite};

/// Why a record could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenError {
    /// Authentication failed: a damaged record, or a key that does not match.
    Authentication,
    /// The record is too short or badly padded for its cipher.
    Malformed,
}

/// An opened record: its content type (the inner one in TLS 1.3) and its plaintext.
#[derive(Debug)]
pub struct Opened {
    /// Content type (20 change cipher spec, 21 alert, 22 handshake, 23 application data).
    pub content_type: u8,
    /// The plaintext.
    pub plaintext: Vec<u8>,
}

enum Engine {
    Aes128Gcm(Box<Aes128Gcm>),
    Aes256Gcm(Box<Aes256Gcm>),
    ChaCha(Box<ChaCha20Poly1305>),
    Cbc {
        key: Vec<u8>,
        mac_key: Vec<u8>,
        mac: HashKind,
        encrypt_then_mac: bool,
    },
}

/// The protection of one direction: keys and the record sequence number.
pub struct RecordCipher {
    engine: Engine,
    /// The IV (TLS 1.3, ChaCha20 of TLS 1.2: 12 bytes) or the implicit salt (GCM of TLS 1.2:
    /// 4 bytes).
    iv: Vec<u8>,
    tls13: bool,
    seq: u64,
}

impl std::fmt::Debug for RecordCipher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecordCipher")
            .field("tls13", &self.tls13)
            .field("seq", &self.seq)
            .finish_non_exhaustive()
    }
}

fn aead_engine(protection: Protection, key: &[u8]) -> Option<Engine> {
    Some(match protection {
        Protection::AesGcm(16) => Engine::Aes128Gcm(Box::new(Aes128Gcm::new_from_slice(key).ok()?)),
        Protection::AesGcm(_) => Engine::Aes256Gcm(Box::new(Aes256Gcm::new_from_slice(key).ok()?)),
        Protection::ChaCha20Poly1305 => {
            Engine::ChaCha(Box::new(ChaCha20Poly1305::new_from_slice(key).ok()?))
        }
        Protection::AesCbc(..) => return None,
    })
}

impl RecordCipher {
    /// TLS 1.3 protection from a traffic secret.
    pub fn tls13(suite: Suite, secret: &[u8]) -> Option<RecordCipher> {
        let key = schedule::expand_label(suite.hash, secret, "key", suite.protection.key_len())?;
        let iv = schedule::expand_label(suite.hash, secret, "iv", 12)?;
        Some(RecordCipher {
            engine: aead_engine(suite.protection, &key)?,
            iv,
            tls13: true,
            seq: 0,
        })
    }

    /// TLS 1.2 protection from one side's part of the key block.
    pub fn tls12(
        suite: Suite,
        key: &[u8],
        mac_key: &[u8],
        iv: &[u8],
        encrypt_then_mac: bool,
    ) -> Option<RecordCipher> {
        let engine = match suite.protection {
            Protection::AesCbc(_, mac) => Engine::Cbc {
                key: key.to_vec(),
                mac_key: mac_key.to_vec(),
                mac,
                encrypt_then_mac,
            },
            aead => aead_engine(aead, key)?,
        };
        Some(RecordCipher {
            engine,
            iv: iv.to_vec(),
            tls13: false,
            seq: 0,
        })
    }

    /// Opens the record with this 5-byte header and body; the sequence number moves on
    /// whether or not it opens, so that one damaged record does not lose the ones after it.
    pub fn open(&mut self, header: [u8; 5], body: &[u8]) -> Result<Opened, OpenError> {
        let seq = self.seq;
        self.seq = self.seq.wrapping_add(1);
        if self.tls13 {
            let mut plaintext = self.open_aead(&self.nonce_xor(seq), &header, body)?;
            // TLSInnerPlaintext: content, the real type, then zero padding.
            let end = plaintext
                .iter()
                .rposition(|b| *b != 0)
                .ok_or(OpenError::Malformed)?;
            let content_type = plaintext.get(end).copied().ok_or(OpenError::Malformed)?;
            plaintext.truncate(end);
            return Ok(Opened {
                content_type,
                plaintext,
            });
        }
        let [content_type, major, minor, ..] = header;
        let aad_for = |len: usize| -> Result<Vec<u8>, OpenError> {
            let len = u16::try_from(len).map_err(|_| OpenError::Malformed)?;
            let mut aad = seq.to_be_bytes().to_vec();
            aad.extend_from_slice(&[content_type, major, minor]);
            aad.extend_from_slice(&len.to_be_bytes());
            Ok(aad)
        };
        let plaintext = match &self.engine {
            Engine::Cbc { .. } => self.open_cbc(body, &aad_for)?,
            Engine::ChaCha(_) => {
                let len = body.len().checked_sub(16).ok_or(OpenError::Malformed)?;
                self.open_aead(&self.nonce_xor(seq), &aad_for(len)?, body)?
            }
            Engine::Aes128Gcm(_) | Engine::Aes256Gcm(_) => {
                let explicit = body.get(..8).ok_or(OpenError::Malformed)?;
                let sealed = body.get(8..).ok_or(OpenError::Malformed)?;
                let len = sealed.len().checked_sub(16).ok_or(OpenError::Malformed)?;
                let mut nonce = [0u8; 12];
                for (n, b) in nonce.iter_mut().zip(self.iv.iter().chain(explicit)) {
                    *n = *b;
                }
                self.open_aead(&nonce, &aad_for(len)?, sealed)?
            }
        };
        Ok(Opened {
            content_type,
            plaintext,
        })
    }

    /// The IV with the sequence number XORed into its last 8 bytes.
    fn nonce_xor(&self, seq: u64) -> [u8; 12] {
        let mut nonce = [0u8; 12];
        for (n, b) in nonce.iter_mut().zip(&self.iv) {
            *n = *b;
        }
        for (n, s) in nonce.iter_mut().skip(4).zip(seq.to_be_bytes()) {
            *n ^= s;
        }
        nonce
    }

    fn open_aead(&self, nonce: &[u8; 12], aad: &[u8], sealed: &[u8]) -> Result<Vec<u8>, OpenError> {
        let payload = Payload { msg: sealed, aad };
        let opened = match &self.engine {
            Engine::Aes128Gcm(c) => c.decrypt(&(*nonce).into(), payload),
            Engine::Aes256Gcm(c) => c.decrypt(&(*nonce).into(), payload),
            Engine::ChaCha(c) => c.decrypt(&(*nonce).into(), payload),
            Engine::Cbc { .. } => return Err(OpenError::Malformed),
        };
        opened.map_err(|_| OpenError::Authentication)
    }

    /// AES-CBC: explicit IV, then the ciphertext; the MAC over the plaintext inside it, or
    /// over the ciphertext after it with encrypt-then-MAC.
    fn open_cbc(
        &self,
        body: &[u8],
        aad_for: &dyn Fn(usize) -> Result<Vec<u8>, OpenError>,
    ) -> Result<Vec<u8>, OpenError> {
        let Engine::Cbc {
            key,
            mac_key,
            mac,
            encrypt_then_mac,
        } = &self.engine
        else {
            return Err(OpenError::Malformed);
        };
        let mac_len = mac.output_len();
        let check = |data: &[u8], tag: &[u8]| -> Result<(), OpenError> {
            let expected = schedule::hmac(*mac, mac_key, &[&aad_for(data.len())?, data])
                .ok_or(OpenError::Malformed)?;
            if expected.as_slice() == tag {
                Ok(())
            } else {
                Err(OpenError::Authentication)
            }
        };
        let sealed = if *encrypt_then_mac {
            let split = body
                .len()
                .checked_sub(mac_len)
                .ok_or(OpenError::Malformed)?;
            let (sealed, tag) = body.split_at(split);
            check(sealed, tag)?;
            sealed
        } else {
            body
        };
        let (iv, ciphertext) = sealed.split_at_checked(16).ok_or(OpenError::Malformed)?;
        if ciphertext.is_empty() || ciphertext.len() % 16 != 0 {
            return Err(OpenError::Malformed);
        }
        let mut buf = ciphertext.to_vec();
        let decrypted = match key.len() {
            16 => cbc::Decryptor::<aes::Aes128>::new_from_slices(key, iv)
                .map_err(|_| OpenError::Malformed)?
                .decrypt_padded::<NoPadding>(&mut buf)
                .map_err(|_| OpenError::Malformed)?
                .len(),
            _ => cbc::Decryptor::<aes::Aes256>::new_from_slices(key, iv)
                .map_err(|_| OpenError::Malformed)?
                .decrypt_padded::<NoPadding>(&mut buf)
                .map_err(|_| OpenError::Malformed)?
                .len(),
        };
        buf.truncate(decrypted);
        // TLS padding: its length byte last, that many bytes of the same value before it.
        let pad = usize::from(*buf.last().ok_or(OpenError::Malformed)?);
        let unpadded = buf.len().checked_sub(pad + 1).ok_or(OpenError::Malformed)?;
        if buf
            .get(unpadded..)
            .is_none_or(|p| p.iter().any(|b| usize::from(*b) != pad))
        {
            return Err(OpenError::Authentication);
        }
        buf.truncate(unpadded);
        if !*encrypt_then_mac {
            let split = buf.len().checked_sub(mac_len).ok_or(OpenError::Malformed)?;
            let tag = buf.split_off(split);
            check(&buf, &tag)?;
        }
        Ok(buf)
    }
}
