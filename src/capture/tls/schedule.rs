//! Keys from the secrets of a key log: TLS 1.3's HKDF-Expand-Label (RFC 8446 §7.1) and TLS
//! 1.2's PRF (RFC 5246 §5), composed from the `hkdf` and `hmac` crates.

use hkdf::Hkdf;
use hmac::{Hmac, KeyInit, Mac};
use sha1::Sha1;
use sha2::{Sha256, Sha384};

/// The hash a cipher suite names, for its key schedule or its record MAC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HashKind {
    /// SHA-1 (record MACs of the older CBC suites only).
    Sha1,
    /// SHA-256.
    Sha256,
    /// SHA-384.
    Sha384,
}

impl HashKind {
    /// Output length in bytes.
    pub fn output_len(self) -> usize {
        match self {
            HashKind::Sha1 => 20,
            HashKind::Sha256 => 32,
            HashKind::Sha384 => 48,
        }
    }
}

/// HMAC of `parts` (concatenated) under `key`; `None` only for SHA-1 misuse (no HKDF there).
pub fn hmac(hash: HashKind, key: &[u8], parts: &[&[u8]]) -> Option<Vec<u8>> {
    macro_rules! run {
        ($h:ty) => {{
            let mut mac = <Hmac<$h> as KeyInit>::new_from_slice(key).ok()?;
            for part in parts {
                mac.update(part);
            }
            Some(mac.finalize().into_bytes().to_vec())
        }};
    }
    match hash {
        HashKind::Sha1 => run!(Sha1),
        HashKind::Sha256 => run!(Sha256),
        HashKind::Sha384 => run!(Sha384),
    }
}

/// HKDF-Expand-Label(secret, label, "", len) of TLS 1.3.
pub fn expand_label(hash: HashKind, secret: &[u8], label: &str, len: usize) -> Option<Vec<u8>> {
    let full = format!("tls13 {label}");
    let mut info = Vec::with_capacity(4 + full.len());
    info.extend_from_slice(&u16::try_from(len).ok()?.to_be_bytes());
    info.push(u8::try_from(full.len()).ok()?);
    info.extend_from_slice(full.as_bytes());
    info.push(0); // empty context
    let mut out = vec![0; len];
    match hash {
        HashKind::Sha256 => Hkdf::<Sha256>::from_prk(secret)
            .ok()?
            .expand(&info, &mut out)
            .ok()?,
        HashKind::Sha384 => Hkdf::<Sha384>::from_prk(secret)
            .ok()?
            .expand(&info, &mut out)
            .ok()?,
        HashKind::Sha1 => return None,
    }
    Some(out)
}

/// The TLS 1.2 PRF: P_hash(secret, label + seed) cut to `len` bytes.
pub fn prf(hash: HashKind, secret: &[u8], label: &str, seed: &[u8], len: usize) -> Option<Vec<u8>> {
    let mut label_seed = label.as_bytes().to_vec();
    label_seed.extend_from_slice(seed);
    let mut out = Vec::with_capacity(len + hash.output_len());
    // A(1) = HMAC(secret, seed); A(i) = HMAC(secret, A(i-1)).
    let mut a = hmac(hash, secret, &[&label_seed])?;
    while out.len() < len {
        out.extend_from_slice(&hmac(hash, secret, &[&a, &label_seed])?);
        a = hmac(hash, secret, &[&a])?;
    }
    out.truncate(len);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 8448 §3, the server's handshake traffic key and IV.
    #[test]
    fn expand_label_matches_rfc_8448() {
        let secret = hex("b67b7d690cc16c4e75e54213cb2d37b4e9c912bcded9105d42befd59d391ad38");
        assert_eq!(
            expand_label(HashKind::Sha256, &secret, "key", 16).unwrap(),
            hex("3fce516009c21727d0f2e4e86ee403bc")
        );
        assert_eq!(
            expand_label(HashKind::Sha256, &secret, "iv", 12).unwrap(),
            hex("5d313eb2671276ee13000b30")
        );
    }

    /// The TLS 1.2 PRF test vector for SHA-256 published with the IETF TLS working group.
    #[test]
    fn prf_matches_the_sha256_vector() {
        let secret = hex("9bbe436ba940f017b17652849a71db35");
        let seed = hex("a0ba9f936cda311827a6f796ffd5198c");
        let out = prf(HashKind::Sha256, &secret, "test label", &seed, 100).unwrap();
        assert_eq!(out[..16], hex("e3f229ba727be17b8d122620557cd453")[..]);
        assert_eq!(out.len(), 100);
    }
}
