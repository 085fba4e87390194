//! The cipher suites that can be read: AES-GCM and ChaCha20-Poly1305 (TLS 1.3 and 1.2), and
//! AES-CBC with HMAC (TLS 1.2).

use super::schedule::HashKind;

/// How a suite protects records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Protection {
    /// AES-GCM with a key of this many bytes.
    AesGcm(usize),
    /// ChaCha20-Poly1305.
    ChaCha20Poly1305,
    /// AES-CBC with a key of this many bytes, then HMAC with this hash.
    AesCbc(usize, HashKind),
}

impl Protection {
    /// Key length in bytes.
    pub fn key_len(self) -> usize {
        match self {
            Protection::AesGcm(n) | Protection::AesCbc(n, _) => n,
            Protection::ChaCha20Poly1305 => 32,
        }
    }
}

/// A cipher suite this reader knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Suite {
    /// Its IANA number.
    pub id: u16,
    /// Record protection.
    pub protection: Protection,
    /// The hash of the key schedule (HKDF in TLS 1.3, the PRF in TLS 1.2).
    pub hash: HashKind,
}

/// The suite with this IANA number, if it can be read.
pub fn by_id(id: u16) -> Option<Suite> {
    use HashKind::{Sha1, Sha256, Sha384};
    use Protection::{AesCbc, AesGcm, ChaCha20Poly1305};
    let (protection, hash) = match id {
        // TLS 1.3
        0x1301 => (AesGcm(16), Sha256),
        0x1302 => (AesGcm(32), Sha384),
        0x1303 => (ChaCha20Poly1305, Sha256),
        // TLS 1.2 AEAD: RSA, DHE_RSA, ECDHE_ECDSA, ECDHE_RSA
        0x009c | 0x009e | 0xc02b | 0xc02f => (AesGcm(16), Sha256),
        0x009d | 0x009f | 0xc02c | 0xc030 => (AesGcm(32), Sha384),
        0xcca8..=0xccaa => (ChaCha20Poly1305, Sha256),
        // TLS 1.2 CBC with HMAC-SHA1, -SHA256, -SHA384
        0x002f | 0x0033 | 0xc009 | 0xc013 => (AesCbc(16, Sha1), Sha256),
        0x0035 | 0x0039 | 0xc00a | 0xc014 => (AesCbc(32, Sha1), Sha256),
        0x003c | 0x0067 | 0xc023 | 0xc027 => (AesCbc(16, Sha256), Sha256),
        0x003d | 0x006b => (AesCbc(32, Sha256), Sha256),
        0xc024 | 0xc028 => (AesCbc(32, Sha384), Sha384),
        _ => return None,
    };
    Some(Suite {
        id,
        protection,
        hash,
    })
}
