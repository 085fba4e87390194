//! Fuzzes the TLS layer: the key log parser, and record cutting, hellos, key schedules and
//! record opening for both directions of a connection.
//!
//! Input: an optional key log, then `\n--\n`, then the connection: its first byte `c` sets
//! the chunk size (`c % 64 + 1`); chunks go to the client and the server in turn. Without the
//! separator the whole input is both the key log and the connection, so that a client random
//! may meet its own line.
#![no_main]

use std::net::SocketAddr;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;
use sipladder::capture::tls::{KeyLog, Plain, TlsConnections, TlsReader};

fuzz_target!(|data: &[u8]| {
    let (log, stream) = match data.windows(4).position(|w| w == b"\n--\n") {
        Some(at) => (&data[..at], &data[at + 4..]),
        None => (data, data),
    };
    let keys = KeyLog::parse(&String::from_utf8_lossy(log));
    let _ = keys.len();
    let Some((&c, stream)) = stream.split_first() else {
        return;
    };
    let client = SocketAddr::from(([192, 0, 2, 1], 40000));
    let server = SocketAddr::from(([192, 0, 2, 2], 5061));
    let mut tls = TlsConnections::with_keys(Some(Arc::new(keys)));
    let mut readers = [TlsReader::new(client, server), TlsReader::new(server, client)];
    let mut plain = 0usize;
    for (i, chunk) in stream.chunks(usize::from(c % 64) + 1).enumerate() {
        readers[i % 2].read(
            chunk,
            &mut tls,
            &mut |p| {
                if let Plain::Bytes(b) = p {
                    plain += b.len();
                }
            },
            &mut |w| {
                let _ = w.to_string();
            },
        );
        assert!(readers[i % 2].footprint() <= 1 << 20, "bounded");
    }
    assert!(plain as u64 == tls.decrypted_bytes);
});
