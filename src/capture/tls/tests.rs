//! The TLS layer on records sealed here with the same crates (so that paths the lab samples do
//! not take are covered: AES-CBC with HMAC-SHA1 without encrypt-then-MAC), and on any bytes.

use std::net::SocketAddr;
use std::sync::Arc;

use cbc::cipher::block_padding::NoPadding;
use cbc::cipher::{BlockModeEncrypt, KeyIvInit};
use proptest::prelude::*;

use super::cipher::{OpenError, RecordCipher};
use super::schedule::{self, HashKind};
use super::suite;
use super::{KeyLog, Plain, TlsConnections, TlsReader};

const HEADER: [u8; 5] = [23, 3, 3, 0, 0];

/// An AES-128-CBC record with HMAC-SHA1: MAC then encrypt, or encrypt then MAC.
fn seal_cbc(key: &[u8], mac_key: &[u8], seq: u64, plaintext: &[u8], etm: bool) -> Vec<u8> {
    let iv = [7u8; 16];
    let aad = |len: usize| {
        let mut a = seq.to_be_bytes().to_vec();
        a.extend_from_slice(&[23, 3, 3]);
        a.extend_from_slice(&(len as u16).to_be_bytes());
        a
    };
    let mut inner = plaintext.to_vec();
    if !etm {
        inner.extend(
            schedule::hmac(HashKind::Sha1, mac_key, &[&aad(plaintext.len()), plaintext]).unwrap(),
        );
    }
    let pad = 15 - inner.len() % 16;
    inner.extend(std::iter::repeat_n(pad as u8, pad + 1));
    let len = inner.len();
    let sealed = cbc::Encryptor::<aes::Aes128>::new_from_slices(key, &iv)
        .unwrap()
        .encrypt_padded::<NoPadding>(&mut inner, len)
        .unwrap()
        .to_vec();
    let mut body = iv.to_vec();
    body.extend(sealed);
    if etm {
        let tag = schedule::hmac(HashKind::Sha1, mac_key, &[&aad(body.len()), &body]).unwrap();
        body.extend(tag);
    }
    body
}

#[test]
fn cbc_records_open_with_either_mac_order_and_damage_is_seen() {
    let suite = suite::by_id(0x002f).unwrap(); // TLS_RSA_WITH_AES_128_CBC_SHA
    let (key, mac_key) = ([1u8; 16], [2u8; 20]);
    for etm in [false, true] {
        let mut cipher = RecordCipher::tls12(suite, &key, &mac_key, &[0; 16], etm).unwrap();
        for (seq, text) in [&b"OPTIONS sip:a SIP/2.0\r\n"[..], b"x", &[b'y'; 48]]
            .iter()
            .enumerate()
        {
            let body = seal_cbc(&key, &mac_key, seq as u64, text, etm);
            let opened = cipher.open(HEADER, &body).unwrap();
            assert_eq!(
                (opened.content_type, &opened.plaintext[..]),
                (23, *text),
                "etm {etm}"
            );
        }
        let mut body = seal_cbc(&key, &mac_key, 3, b"damaged", etm);
        if let Some(b) = body.get_mut(20) {
            *b ^= 1;
        }
        assert!(cipher.open(HEADER, &body).is_err(), "etm {etm}");
        assert_eq!(
            cipher.open(HEADER, &[0; 15]).err(),
            Some(OpenError::Malformed)
        );
    }
}

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([192, 0, 2, 1], port))
}

/// A ClientHello with this random, as a record.
fn client_hello(random: [u8; 32]) -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend(random);
    body.extend([0, 0, 2, 0x13, 0x01, 1, 0]); // no session id, one suite, no compression
    let mut msg = vec![1, 0, 0, body.len() as u8];
    msg.extend(body);
    let mut record = vec![22, 3, 1, 0, msg.len() as u8];
    record.extend(msg);
    record
}

#[test]
fn a_connection_without_its_key_is_reported_once_and_gives_nothing() {
    let mut tls = TlsConnections::with_keys(Some(Arc::new(KeyLog::parse(""))));
    let mut client = TlsReader::new(addr(40000), addr(5061));
    let mut warnings = Vec::new();
    let mut plain = 0;
    let mut read = |reader: &mut TlsReader, tls: &mut TlsConnections, bytes: &[u8]| {
        reader.read(
            bytes,
            tls,
            &mut |p| {
                if let Plain::Bytes(_) = p {
                    plain += 1
                }
            },
            &mut |w| warnings.push(w.to_string()),
        );
    };
    read(&mut client, &mut tls, &client_hello([9; 32]));
    read(&mut client, &mut tls, &[23, 3, 3, 0, 3, 1, 2, 3]);
    assert_eq!(plain, 0);
    assert_eq!(tls.streams, 1);
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("no key for this client random"),
        "{warnings:?}"
    );
}

/// A TLS 1.3 record sealed with AES-128-GCM under `secret`: content, inner type, tag.
fn seal13(secret: &[u8], seq: u64, inner_type: u8, content: &[u8]) -> Vec<u8> {
    use aes_gcm::aead::{Aead, KeyInit, Payload};
    let key = schedule::expand_label(HashKind::Sha256, secret, "key", 16).unwrap();
    let iv = schedule::expand_label(HashKind::Sha256, secret, "iv", 12).unwrap();
    let mut nonce = [0u8; 12];
    nonce.copy_from_slice(&iv);
    for (n, s) in nonce[4..].iter_mut().zip(seq.to_be_bytes()) {
        *n ^= s;
    }
    let mut inner = content.to_vec();
    inner.extend([inner_type, 0, 0]); // the type, then padding
    let len = (inner.len() + 16) as u16;
    let header = [23, 3, 3, (len >> 8) as u8, len as u8];
    let sealed = aes_gcm::Aes128Gcm::new_from_slice(&key)
        .unwrap()
        .encrypt(
            &nonce.into(),
            Payload {
                msg: &inner,
                aad: &header,
            },
        )
        .unwrap();
    [&header[..], &sealed].concat()
}

fn server_hello_13() -> Vec<u8> {
    let mut body = vec![3, 3];
    body.extend([5u8; 32]);
    body.extend([0, 0x13, 0x01, 0]); // no session id, TLS_AES_128_GCM_SHA256, no compression
    body.extend([0, 6, 0, 0x2b, 0, 2, 3, 4]); // supported_versions: TLS 1.3
    let mut msg = vec![2, 0, 0, body.len() as u8];
    msg.extend(body);
    let mut record = vec![22, 3, 3, 0, msg.len() as u8];
    record.extend(msg);
    record
}

/// The server's side of a TLS 1.3 connection read after its ClientHello; `damage` flips a
/// byte of the record holding Finished. Returns the plaintext and the warnings.
fn read_tls13(damage: bool) -> (Vec<u8>, Vec<String>) {
    let random = "09".repeat(32);
    let log = format!(
        "CLIENT_HANDSHAKE_TRAFFIC_SECRET {random} {}\nSERVER_HANDSHAKE_TRAFFIC_SECRET {random} {}\nCLIENT_TRAFFIC_SECRET_0 {random} {}\nSERVER_TRAFFIC_SECRET_0 {random} {}\n",
        "01".repeat(32),
        "02".repeat(32),
        "03".repeat(32),
        "04".repeat(32)
    );
    let mut tls = TlsConnections::with_keys(Some(Arc::new(KeyLog::parse(&log))));
    let mut client = TlsReader::new(addr(40000), addr(5061));
    let mut server = TlsReader::new(addr(5061), addr(40000));
    let (hs, app) = ([2u8; 32], [4u8; 32]);
    let updated = schedule::expand_label(HashKind::Sha256, &app, "traffic upd", 32).unwrap();
    let finished = [&[20u8, 0, 0, 32][..], &[0xaa; 32]].concat();
    let mut finished_record = seal13(&hs, 1, 22, &finished);
    if damage {
        finished_record[10] ^= 1;
    }
    let stream = [
        server_hello_13(),
        vec![20, 3, 3, 0, 1, 1], // change cipher spec (compatibility): ignored
        seal13(&hs, 0, 22, &[8, 0, 0, 2, 0, 0]), // EncryptedExtensions, read before Finished
        finished_record,
        seal13(&app, 0, 23, FIRST),
        seal13(&app, 1, 22, &[24, 0, 0, 1, 0]), // KeyUpdate
        seal13(&updated, 0, 23, SECOND),
        seal13(&updated, 1, 23, SECOND),
        seal13(&updated, 2, 23, SECOND),
        seal13(&updated, 3, 23, SECOND),
        seal13(&updated, 4, 23, SECOND),
    ]
    .concat();
    let mut warnings = Vec::new();
    client.read(&client_hello([9; 32]), &mut tls, &mut |_| {}, &mut |w| {
        warnings.push(w.to_string())
    });
    let mut plain = Vec::new();
    for chunk in stream.chunks(7) {
        server.read(
            chunk,
            &mut tls,
            &mut |p| {
                if let Plain::Bytes(b) = p {
                    plain.extend_from_slice(b);
                }
            },
            &mut |w| warnings.push(w.to_string()),
        );
    }
    (plain, warnings)
}

const FIRST: &[u8] = b"SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
const SECOND: &[u8] = b"SIP/2.0 180 Ringing\r\nContent-Length: 0\r\n\r\n";

/// TLS 1.3 from the hellos on: handshake keys until Finished, application keys after it, the
/// next generation after a KeyUpdate; records cut anywhere across reads.
#[test]
fn tls13_follows_finished_and_key_updates() {
    let (plain, warnings) = read_tls13(false);
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(
        plain,
        [FIRST, SECOND, SECOND, SECOND, SECOND, SECOND].concat()
    );
}

/// A damaged Finished: the keys never move on, every record after it fails; reading stops
/// after a few, with a warning for each and one that says why it stopped.
#[test]
fn records_that_stop_opening_stop_the_reading() {
    let (plain, warnings) = read_tls13(true);
    assert!(plain.is_empty());
    assert_eq!(warnings.len(), 5, "{warnings:?}");
    assert!(warnings[0].contains("damaged"), "{warnings:?}");
    assert!(warnings[4].contains("stopped opening"), "{warnings:?}");
}

#[test]
fn a_connection_taken_up_after_its_handshake_is_reported_once() {
    let mut tls = TlsConnections::with_keys(None);
    let mut warnings = Vec::new();
    for (src, dst) in [(40000, 5061), (5061, 40000)] {
        let mut reader = TlsReader::new(addr(src), addr(dst));
        reader.read(
            &[23, 3, 3, 0, 2, 0xab, 0xcd],
            &mut tls,
            &mut |_| {},
            &mut |w| warnings.push(w.to_string()),
        );
    }
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].contains("handshake is not in the capture"),
        "{warnings:?}"
    );
    assert_eq!(tls.unreadable, 1);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any bytes, any key log, both directions: no panic, bounded memory.
    #[test]
    fn any_bytes_read_without_panic(
        log in "(CLIENT_RANDOM|SERVER_HANDSHAKE_TRAFFIC_SECRET) (09){32} [0-9a-f]{2,96}\n",
        hello in any::<bool>(),
        chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..16),
    ) {
        let mut tls = TlsConnections::with_keys(Some(Arc::new(KeyLog::parse(&log))));
        let mut readers = [TlsReader::new(addr(40000), addr(5061)), TlsReader::new(addr(5061), addr(40000))];
        if hello {
            readers[0].read(&client_hello([9; 32]), &mut tls, &mut |_| {}, &mut |_| {});
        }
        for (i, chunk) in chunks.iter().enumerate() {
            // Half of the chunks start with a record header, so that records are cut and opened.
            let mut bytes = chunk.clone();
            if i % 2 == 0 && bytes.len() > 5 {
                let len = (bytes.len() - 5) as u16;
                bytes.splice(..5, [20 + ((i / 2) % 4) as u8, 3, 3, (len >> 8) as u8, len as u8]);
            }
            let reader = &mut readers[i % 2];
            reader.read(&bytes, &mut tls, &mut |_| {}, &mut |w| { let _ = w.to_string(); });
            prop_assert!(reader.footprint() <= 1 << 18);
        }
    }
}
