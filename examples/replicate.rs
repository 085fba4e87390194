//! Builds a large capture for benchmarks from a small one: N time-shifted copies of its
//! packets, merged in time order, with every Call-ID, tag and Via branch made unique per copy
//! (same lengths, so every header and Content-Length stays valid).
//!
//! ```text
//! cargo run --release --example replicate -- IN.pcap OUT.pcap COPIES [STAGGER_MS] [FIRST_FRAME]
//! ```
//! `STAGGER_MS` (default 10) spaces the copies so that calls overlap as in real traffic;
//! `FIRST_FRAME` (1-based, default 1) drops the frames before it (e.g. the registrations).
//! Classic little-endian pcap with Ethernet/IPv4/UDP, as the lab writes; UDP checksums of
//! edited datagrams are set to zero (legal for IPv4).

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::fs::File;
use std::io::{BufWriter, Write};

type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;
/// Each identifier with its rewritten form for one copy.
type Rewrites = Vec<(Vec<u8>, Vec<u8>)>;

struct Record {
    secs: u32,
    frac: u32,
    data: Vec<u8>,
    /// Where the UDP payload starts, when the packet is Ethernet/IPv4/UDP carrying SIP.
    sip_at: Option<usize>,
}

fn le32(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

fn read(path: &str) -> AnyResult<(Vec<u8>, Vec<Record>)> {
    let bytes = std::fs::read(path)?;
    if bytes.len() < 24 || le32(&bytes, 0) != 0xa1b2_c3d4 {
        return Err("expected a little-endian microsecond pcap".into());
    }
    let mut records = Vec::new();
    let mut at = 24;
    while at + 16 <= bytes.len() {
        let caplen = le32(&bytes, at + 8) as usize;
        let data = bytes[at + 16..at + 16 + caplen].to_vec();
        let sip_at = sip_offset(&data);
        records.push(Record {
            secs: le32(&bytes, at),
            frac: le32(&bytes, at + 4),
            data,
            sip_at,
        });
        at += 16 + caplen;
    }
    Ok((bytes[..24].to_vec(), records))
}

fn sip_offset(frame: &[u8]) -> Option<usize> {
    if frame.len() < 42 || frame[12..14] != [0x08, 0x00] || frame[23] != 17 {
        return None;
    }
    let ihl = usize::from(frame[14] & 0x0f) * 4;
    let payload = 14 + ihl + 8;
    let body = frame.get(payload..)?;
    let first_line = body.split(|b| *b == b'\n').next()?;
    (first_line.windows(7).any(|w| w == b"SIP/2.0")).then_some(payload)
}

/// The identifiers to rewrite: Call-ID values, tags and branches of every SIP message.
fn identifiers(records: &[Record]) -> Vec<Vec<u8>> {
    let mut found = BTreeSet::new();
    for r in records {
        let Some(at) = r.sip_at else { continue };
        for line in r.data[at..].split(|b| *b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            let lower = line.to_ascii_lowercase();
            if lower.starts_with(b"call-id:") || lower.starts_with(b"i:") {
                let v = &line[line.iter().position(|b| *b == b':').unwrap_or(0) + 1..];
                found.insert(v.trim_ascii().to_vec());
            }
            for key in [&b"tag="[..], b"branch="] {
                let mut rest = line;
                while let Some(p) = rest.windows(key.len()).position(|w| w == key) {
                    let v = &rest[p + key.len()..];
                    let end = v
                        .iter()
                        .position(|b| matches!(b, b';' | b',' | b'>' | b' ' | b'\r'))
                        .unwrap_or(v.len());
                    if end >= 6 {
                        found.insert(v[..end].to_vec());
                    }
                    rest = &v[end..];
                }
            }
        }
    }
    // Longest first, so a Call-ID that contains a tag is rewritten whole.
    let mut ids: Vec<Vec<u8>> = found.into_iter().filter(|v| v.len() >= 6).collect();
    ids.sort_by_key(|v| Reverse(v.len()));
    ids
}

/// The copy's version of an identifier: its last six characters carry the copy number.
fn stamp(id: &[u8], copy: u32) -> Vec<u8> {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = id.to_vec();
    let mut n = copy;
    let len = out.len();
    for i in 0..6 {
        out[len - 1 - i] = DIGITS[(n % 36) as usize];
        n /= 36;
    }
    out
}

fn rewrite(data: &[u8], at: usize, ids: &Rewrites) -> Vec<u8> {
    let mut out = data.to_vec();
    for (from, to) in ids {
        let mut start = at;
        while let Some(p) = out[start..]
            .windows(from.len())
            .position(|w| w == &from[..])
        {
            out[start + p..start + p + from.len()].copy_from_slice(to);
            start += p + from.len();
        }
    }
    let ihl = usize::from(out[14] & 0x0f) * 4;
    out[14 + ihl + 6] = 0;
    out[14 + ihl + 7] = 0;
    out
}

/// RTP of each copy gets its own SSRC, so streams of different copies stay apart.
fn with_ssrc(frame: &[u8], copy: u32) -> Vec<u8> {
    let mut out = frame.to_vec();
    if out.len() < 54 || out[12..14] != [0x08, 0x00] || out[23] != 17 {
        return out;
    }
    let rtp = 14 + usize::from(out[14] & 0x0f) * 4 + 8;
    if out.len() >= rtp + 12 && out[rtp] >> 6 == 2 {
        for (i, b) in copy.to_be_bytes().iter().enumerate() {
            out[rtp + 8 + i] ^= b;
        }
        let ihl = usize::from(out[14] & 0x0f) * 4;
        out[14 + ihl + 6] = 0;
        out[14 + ihl + 7] = 0;
    }
    out
}

fn main() -> AnyResult<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 4 {
        return Err("usage: replicate IN.pcap OUT.pcap COPIES [STAGGER_MS] [FIRST_FRAME]".into());
    }
    let copies: u32 = args[3].parse()?;
    let stagger_us: u64 = args.get(4).map_or(Ok(10), |s| s.parse())? * 1000;
    let first: usize = args.get(5).map_or(Ok(1), |s| s.parse())?;
    let (header, mut records) = read(&args[1])?;
    records.drain(..first.saturating_sub(1).min(records.len()));
    let ids = identifiers(&records);
    let base: Vec<u64> = records
        .iter()
        .map(|r| u64::from(r.secs) * 1_000_000 + u64::from(r.frac))
        .collect();
    let mut out = BufWriter::with_capacity(1 << 20, File::create(&args[2])?);
    out.write_all(&header)?;
    // Merge the copies in time order: each copy's next packet sits in the heap.
    let mut heap: BinaryHeap<Reverse<(u64, u32, usize)>> = (0..copies)
        .map(|c| Reverse((base[0] + u64::from(c) * stagger_us, c, 0)))
        .collect();
    let mut stamped: Vec<Option<Rewrites>> = vec![None; copies as usize];
    let mut written = 0u64;
    while let Some(Reverse((t, copy, i))) = heap.pop() {
        let r = &records[i];
        let data = match r.sip_at {
            Some(at) => {
                let table = stamped[copy as usize].get_or_insert_with(|| {
                    ids.iter().map(|id| (id.clone(), stamp(id, copy))).collect()
                });
                rewrite(&r.data, at, table)
            }
            None => with_ssrc(&r.data, copy),
        };
        out.write_all(&((t / 1_000_000) as u32).to_le_bytes())?;
        out.write_all(&((t % 1_000_000) as u32).to_le_bytes())?;
        out.write_all(&(data.len() as u32).to_le_bytes())?;
        out.write_all(&(data.len() as u32).to_le_bytes())?;
        out.write_all(&data)?;
        written += 1;
        if i + 1 < records.len() {
            heap.push(Reverse((
                base[i + 1] + u64::from(copy) * stagger_us,
                copy,
                i + 1,
            )));
        } else {
            stamped[copy as usize] = None;
        }
    }
    out.flush()?;
    eprintln!(
        "{}: {written} packets, {copies} copies of {} packets, {} identifiers rewritten per copy",
        args[2],
        records.len(),
        ids.len()
    );
    Ok(())
}
