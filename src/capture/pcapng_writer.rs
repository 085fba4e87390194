//! Writing frames to a pcapng file (one section, an interface per link type, enhanced packet
//! blocks with nanosecond timestamps and optional comments), so that an export can mix link
//! types and say in Wireshark which call a frame starts. Written by hand: the format needs
//! three block types, and no maintained crate writes it (pcap-parser only reads).

use std::io::{self, Write};

use rustc_hash::FxHashMap as HashMap;

use super::decode::Frame;

const SHB: u32 = 0x0A0D_0D0A;
const IDB: u32 = 1;
const EPB: u32 = 6;
const OPT_END: u16 = 0;
const OPT_COMMENT: u16 = 1;
const IF_TSRESOL: u16 = 9;

/// Writes a pcapng file: the section header at once, an interface description the first time
/// a link type is met.
pub struct PcapNgWriter<W: Write> {
    out: W,
    /// Interface number of each link type met.
    interfaces: HashMap<i32, u32>,
    /// Frames written.
    pub written: u64,
}

impl<W: Write> PcapNgWriter<W> {
    /// A writer over `out`, the section header written.
    pub fn new(mut out: W) -> io::Result<PcapNgWriter<W>> {
        let mut body = Vec::with_capacity(16);
        body.extend_from_slice(&0x1A2B_3C4Du32.to_le_bytes());
        body.extend_from_slice(&1u16.to_le_bytes());
        body.extend_from_slice(&0u16.to_le_bytes());
        // Section length not given.
        body.extend_from_slice(&(-1i64).to_le_bytes());
        block(&mut out, SHB, &body)?;
        Ok(PcapNgWriter {
            out,
            interfaces: HashMap::default(),
            written: 0,
        })
    }

    /// Appends a frame, with a comment when given.
    pub fn write(&mut self, frame: &Frame<'_>, comment: Option<&str>) -> io::Result<()> {
        let next = u32::try_from(self.interfaces.len()).unwrap_or(u32::MAX);
        let interface = match self.interfaces.get(&frame.linktype) {
            Some(&i) => i,
            None => {
                let mut body = Vec::with_capacity(20);
                // Link types are 16 bits in pcapng.
                body.extend_from_slice(&(frame.linktype as u16).to_le_bytes());
                body.extend_from_slice(&0u16.to_le_bytes());
                body.extend_from_slice(&262_144u32.to_le_bytes());
                option(&mut body, IF_TSRESOL, &[9]);
                option(&mut body, OPT_END, &[]);
                block(&mut self.out, IDB, &body)?;
                self.interfaces.insert(frame.linktype, next);
                next
            }
        };
        let len = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        let ts = u64::try_from(frame.ts.0).unwrap_or(0);
        let mut body = Vec::with_capacity(frame.data.len() + 32);
        body.extend_from_slice(&interface.to_le_bytes());
        body.extend_from_slice(&((ts >> 32) as u32).to_le_bytes());
        body.extend_from_slice(&(ts as u32).to_le_bytes());
        body.extend_from_slice(&len.to_le_bytes());
        body.extend_from_slice(&frame.orig_len.max(len).to_le_bytes());
        body.extend_from_slice(frame.data);
        pad(&mut body);
        if let Some(text) = comment {
            option(&mut body, OPT_COMMENT, text.as_bytes());
            option(&mut body, OPT_END, &[]);
        }
        block(&mut self.out, EPB, &body)?;
        self.written += 1;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// A block: type, total length, body (a multiple of 4 bytes), total length again.
fn block(out: &mut impl Write, kind: u32, body: &[u8]) -> io::Result<()> {
    let total = u32::try_from(body.len() + 12).unwrap_or(u32::MAX);
    out.write_all(&kind.to_le_bytes())?;
    out.write_all(&total.to_le_bytes())?;
    out.write_all(body)?;
    out.write_all(&total.to_le_bytes())
}

/// An option: code, length, value padded to 4 bytes (values here are far below 64 KiB; a
/// longer one is cut).
fn option(body: &mut Vec<u8>, code: u16, value: &[u8]) {
    let value = value.get(..usize::from(u16::MAX)).unwrap_or(value);
    body.extend_from_slice(&code.to_le_bytes());
    body.extend_from_slice(&(value.len() as u16).to_le_bytes());
    body.extend_from_slice(value);
    pad(body);
}

fn pad(body: &mut Vec<u8>) {
    body.resize(body.len().next_multiple_of(4), 0);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{CaptureReader, Timestamp};

    #[test]
    fn what_is_written_reads_back_with_both_link_types() {
        let mut w = PcapNgWriter::new(Vec::new()).unwrap();
        let frames = [(1, &b"abcde"[..]), (113, b"xy"), (1, b"defg")];
        for (i, (linktype, data)) in frames.iter().enumerate() {
            let comment = (i == 0).then_some("sipladder call 1: call a → b");
            w.write(
                &Frame {
                    number: i as u64 + 1,
                    ts: Timestamp(1_700_000_000_123_456_789 + i as i64),
                    linktype: *linktype,
                    orig_len: 10,
                    data,
                },
                comment,
            )
            .unwrap();
        }
        assert_eq!(w.written, 3);
        let bytes = w.finish().unwrap();
        let mut r =
            CaptureReader::from_read("t".into(), Box::new(std::io::Cursor::new(bytes))).unwrap();
        for (i, (linktype, data)) in frames.iter().enumerate() {
            let f = r.next_frame().unwrap().unwrap();
            assert_eq!(
                (f.ts, f.linktype, f.orig_len),
                (
                    Timestamp(1_700_000_000_123_456_789 + i as i64),
                    *linktype,
                    10
                )
            );
            assert_eq!(r.data(), *data);
        }
        assert!(r.next_frame().unwrap().is_none());
    }
}
