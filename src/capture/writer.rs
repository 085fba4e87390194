//! Writing frames back to a capture file (classic pcap, nanosecond timestamps), for the
//! subsets `sipladder export` cuts out of larger captures.

use std::io::{self, Write};

use super::decode::Frame;

/// Writes a nanosecond pcap: the header on the first frame, whose link type the file takes.
pub struct PcapWriter<W: Write> {
    out: W,
    linktype: Option<i32>,
    /// Frames not written because their link type differs from the file's.
    pub skipped: u64,
    /// Frames written.
    pub written: u64,
}

impl<W: Write> PcapWriter<W> {
    /// A writer over `out`; nothing is written before the first frame.
    pub fn new(out: W) -> PcapWriter<W> {
        PcapWriter {
            out,
            linktype: None,
            skipped: 0,
            written: 0,
        }
    }

    /// Appends a frame (skipped when its link type differs from the first frame's).
    pub fn write(&mut self, frame: &Frame<'_>) -> io::Result<()> {
        let linktype = *self.linktype.get_or_insert(frame.linktype);
        if self.written == 0 && self.skipped == 0 {
            self.out.write_all(&0xa1b2_3c4du32.to_le_bytes())?;
            self.out.write_all(&2u16.to_le_bytes())?;
            self.out.write_all(&4u16.to_le_bytes())?;
            self.out.write_all(&[0; 8])?;
            self.out.write_all(&262_144u32.to_le_bytes())?;
            self.out.write_all(&(linktype as u32).to_le_bytes())?;
        }
        if frame.linktype != linktype {
            self.skipped += 1;
            return Ok(());
        }
        let len = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        let secs = u32::try_from(frame.ts.seconds()).unwrap_or(0);
        self.out.write_all(&secs.to_le_bytes())?;
        self.out.write_all(&frame.ts.subsec_nanos().to_le_bytes())?;
        self.out.write_all(&len.to_le_bytes())?;
        self.out.write_all(&frame.orig_len.max(len).to_le_bytes())?;
        self.out.write_all(frame.data)?;
        self.written += 1;
        Ok(())
    }

    /// Flushes and returns the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::capture::{CaptureReader, Timestamp};

    #[test]
    fn what_is_written_reads_back() {
        let mut w = PcapWriter::new(Vec::new());
        for (i, data) in [&b"abc"[..], b"defg"].iter().enumerate() {
            w.write(&Frame {
                number: i as u64 + 1,
                ts: Timestamp(1_000_000_123 + i as i64),
                linktype: 1,
                orig_len: 10,
                data,
            })
            .unwrap();
        }
        w.write(&Frame {
            number: 3,
            ts: Timestamp(0),
            linktype: 113,
            orig_len: 1,
            data: b"x",
        })
        .unwrap();
        assert_eq!(w.skipped, 1);
        let bytes = w.finish().unwrap();
        let mut r =
            CaptureReader::from_read("t".into(), Box::new(std::io::Cursor::new(bytes))).unwrap();
        let f = r.next_frame().unwrap().unwrap();
        assert_eq!(
            (f.ts, f.linktype, f.orig_len),
            (Timestamp(1_000_000_123), 1, 10)
        );
        assert_eq!(r.data(), b"abc");
        assert!(r.next_frame().unwrap().is_some());
        assert!(r.next_frame().unwrap().is_none());
    }
}
