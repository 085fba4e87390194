//! The whole capture pipeline per MB of capture: reading, link and IP decoding, TCP/UDP, SIP
//! recognition and framing, and the `stats` counts, over an in-memory capture built by
//! repeating the lab call (SIP plus RTP, as real captures are mostly RTP).
//!
//! `cargo bench --bench pipeline` prints throughput in MiB/s; `bench/compare.sh` times the
//! binary against tshark and sngrep on a large file.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::Cursor;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sipladder::capture::{CaptureReader, MergedReader, read_all, read_all_threaded};
use sipladder::stats::StatsCollector;

/// A classic pcap holding the records of `sample` repeated `copies` times, each copy shifted
/// in time so that retransmission windows and stream timeouts behave as in a long capture.
fn replicated(sample: &str, copies: u32) -> Vec<u8> {
    let path = format!("{}/samples/{sample}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(path).unwrap();
    let (header, records) = bytes.split_at(24);
    let mut out = header.to_vec();
    for copy in 0..copies {
        let mut at = 0;
        while at + 16 <= records.len() {
            let caplen = u32::from_le_bytes(records[at + 8..at + 12].try_into().unwrap()) as usize;
            let secs = u32::from_le_bytes(records[at..at + 4].try_into().unwrap()) + copy * 60;
            out.extend_from_slice(&secs.to_le_bytes());
            out.extend_from_slice(&records[at + 4..at + 16 + caplen]);
            at += 16 + caplen;
        }
    }
    out
}

fn pipeline(c: &mut Criterion) {
    let mut group = c.benchmark_group("pipeline");
    for (sample, copies) in [("lab-udp.pcap", 200), ("lab-tcp.pcap", 200)] {
        let capture = replicated(sample, copies);
        group.throughput(Throughput::Bytes(capture.len() as u64));
        // One thread, then the read loop of the binary: decoding and correlation on two.
        for threads in [1, 2] {
            group.bench_function(
                format!("stats {sample} x{copies}, {threads} thread(s)"),
                |b| {
                    b.iter(|| {
                        let reader = CaptureReader::from_read(
                            "bench".into(),
                            Box::new(Cursor::new(capture.clone())),
                        )
                        .unwrap();
                        let mut merged = MergedReader::new(vec![reader]);
                        let mut stats = StatsCollector::default();
                        if threads == 1 {
                            read_all(&mut merged, &mut stats);
                        } else {
                            read_all_threaded(&mut merged, &mut stats);
                        }
                        stats
                    })
                },
            );
        }
    }
    group.finish();
}

criterion_group!(benches, pipeline);
criterion_main!(benches);
