//! Classic pcap files, the common format of large captures, read record by record straight from
//! a large read buffer: a frame's bytes are handed out where they lie, without the copy a
//! general block parser makes, and the buffer moves only the one record cut at its end.
//! pcapng and the rarer pcap variants go through pcap-parser (see [`super::reader`]).

use std::io::{self, Read};
use std::ops::Range;

use super::time::Timestamp;

/// Bytes of the file header.
pub(super) const FILE_HEADER_LEN: usize = 24;
/// Bytes of a record header.
const RECORD_HEADER_LEN: usize = 16;
/// Bytes asked of the input at a time: small enough that a record is still in the cache when
/// it is parsed after the kernel copied it (4 MiB reads cost a sixth more CPU on the decoding
/// thread).
const READ_SIZE: usize = 256 << 10;
/// A record longer than this means a damaged file (no link carries such frames).
pub(super) const MAX_RECORD: usize = 64 << 20;

/// The file header of a classic pcap file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct FileHeader {
    /// Fields are big-endian (the file was written on such a host).
    pub(super) big_endian: bool,
    /// Timestamp units per second (microseconds or nanoseconds).
    pub(super) units_per_second: u64,
    /// LINKTYPE_ of every frame.
    pub(super) linktype: i32,
}

impl FileHeader {
    /// Reads the 24-byte header; `None` for anything but the four standard magic numbers
    /// (µs or ns, either byte order).
    pub(super) fn parse(bytes: &[u8]) -> Option<FileHeader> {
        let magic: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
        let (big_endian, units_per_second) = match magic {
            [0xd4, 0xc3, 0xb2, 0xa1] => (false, 1_000_000),
            [0xa1, 0xb2, 0xc3, 0xd4] => (true, 1_000_000),
            [0x4d, 0x3c, 0xb2, 0xa1] => (false, 1_000_000_000),
            [0xa1, 0xb2, 0x3c, 0x4d] => (true, 1_000_000_000),
            _ => return None,
        };
        let linktype = u32_at(bytes, 20, big_endian)? as i32;
        bytes.get(..FILE_HEADER_LEN)?;
        Some(FileHeader {
            big_endian,
            units_per_second,
            linktype,
        })
    }
}

fn u32_at(bytes: &[u8], at: usize, big_endian: bool) -> Option<u32> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(if big_endian {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    })
}

/// One record's header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Record {
    /// Capture time.
    pub(super) ts: Timestamp,
    /// Length on the wire.
    pub(super) orig_len: u32,
}

/// Why the records stopped before the end of the file.
#[derive(Debug)]
pub(super) enum Stop {
    /// The file ends inside a record.
    Cut,
    /// A record claims more than [`MAX_RECORD`] bytes.
    TooLong,
    /// Reading failed.
    Io(io::Error),
}

/// Reads the records of a classic pcap file after its header.
pub(super) struct LegacyReader {
    input: Box<dyn Read + Send>,
    header: FileHeader,
    buf: Vec<u8>,
    /// First byte not handed out yet.
    start: usize,
    /// End of the bytes read.
    end: usize,
    /// The bytes of the frame handed out last.
    current: Range<usize>,
    /// Where that frame's record starts in the file.
    record_offset: u64,
    /// Bytes of the file consumed (header included).
    consumed: u64,
}

impl LegacyReader {
    /// Reads records from `input`, positioned just after the file header.
    pub(super) fn new(input: Box<dyn Read + Send>, header: FileHeader) -> LegacyReader {
        LegacyReader {
            input,
            header,
            buf: Vec::new(),
            start: 0,
            end: 0,
            current: 0..0,
            record_offset: 0,
            consumed: FILE_HEADER_LEN as u64,
        }
    }

    /// The file header.
    pub(super) fn header(&self) -> FileHeader {
        self.header
    }

    /// Reads records from `input`, positioned at byte `offset` of the file (a record start).
    pub(super) fn starting_at(
        input: Box<dyn Read + Send>,
        header: FileHeader,
        offset: u64,
    ) -> LegacyReader {
        LegacyReader {
            consumed: offset,
            ..LegacyReader::new(input, header)
        }
    }

    /// Where the record of the frame returned last starts in the file.
    pub(super) fn record_offset(&self) -> u64 {
        self.record_offset
    }

    /// Bytes consumed so far, file header included.
    pub(super) fn consumed(&self) -> u64 {
        self.consumed
    }

    /// The bytes of the frame returned last by [`LegacyReader::next`].
    pub(super) fn data(&self) -> &[u8] {
        self.buf.get(self.current.clone()).unwrap_or_default()
    }

    /// The next record (its bytes through [`LegacyReader::data`]); `Ok(None)` at the end.
    pub(super) fn next(&mut self) -> Result<Option<Record>, Stop> {
        loop {
            let need = match self.take()? {
                Ok(record) => return Ok(Some(record)),
                Err(need) => need,
            };
            if !self.fill(need)? {
                return if self.start == self.end {
                    Ok(None)
                } else {
                    Err(Stop::Cut)
                };
            }
        }
    }

    /// Takes the record at `start` when its bytes are all read, else says how many bytes it
    /// needs.
    fn take(&mut self) -> Result<Result<Record, usize>, Stop> {
        let available = self.buf.get(self.start..self.end).unwrap_or_default();
        let Some(head) = available.get(..RECORD_HEADER_LEN) else {
            return Ok(Err(RECORD_HEADER_LEN));
        };
        let big = self.header.big_endian;
        let field = |at| u32_at(head, at, big).unwrap_or(0);
        let (secs, frac, incl_len, orig_len) = (field(0), field(4), field(8), field(12));
        let incl_len = incl_len as usize;
        if incl_len > MAX_RECORD {
            return Err(Stop::TooLong);
        }
        let need = RECORD_HEADER_LEN + incl_len;
        if available.len() < need {
            return Ok(Err(need));
        }
        self.current = self.start + RECORD_HEADER_LEN..self.start + need;
        self.record_offset = self.consumed;
        self.start += need;
        self.consumed += need as u64;
        Ok(Ok(Record {
            ts: Timestamp::from_parts(
                i64::from(secs),
                u64::from(frac),
                self.header.units_per_second,
            ),
            orig_len,
        }))
    }

    /// Moves the unread bytes (less than one record) to the front and reads behind them
    /// until `need` bytes are there; `false` when the input ends first.
    fn fill(&mut self, need: usize) -> Result<bool, Stop> {
        self.buf.copy_within(self.start..self.end, 0);
        self.end -= self.start;
        self.start = 0;
        self.current = 0..0;
        let size = need.max(READ_SIZE);
        if self.buf.len() < size {
            self.buf.resize(size, 0);
        }
        while self.end < need {
            let Some(room) = self.buf.get_mut(self.end..) else {
                return Ok(false);
            };
            match self.input.read(room) {
                Ok(0) => return Ok(false),
                Ok(n) => self.end += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Stop::Io(e)),
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(records: &[&[u8]], big_endian: bool) -> Vec<u8> {
        let word = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let mut out = word(0xa1b2_c3d4).to_vec();
        out.extend_from_slice(&[0, 2, 0, 4][..]);
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&word(65535));
        out.extend_from_slice(&word(1));
        for (i, r) in records.iter().enumerate() {
            out.extend_from_slice(&word(1_700_000_000 + i as u32));
            out.extend_from_slice(&word(250_000));
            out.extend_from_slice(&word(r.len() as u32));
            out.extend_from_slice(&word(r.len() as u32 + 4));
            out.extend_from_slice(r);
        }
        out
    }

    fn reader(bytes: Vec<u8>) -> LegacyReader {
        let header = FileHeader::parse(&bytes).unwrap();
        let rest = bytes[FILE_HEADER_LEN..].to_vec();
        LegacyReader::new(Box::new(io::Cursor::new(rest)), header)
    }

    #[test]
    fn reads_records_in_both_byte_orders() {
        for big in [false, true] {
            let mut r = reader(file(&[b"abc", b"", b"defgh"], big));
            assert_eq!(r.header().linktype, 1);
            let mut seen = Vec::new();
            while let Some(rec) = r.next().unwrap() {
                seen.push((r.data().to_vec(), rec.orig_len));
            }
            assert_eq!(
                seen,
                [(b"abc".to_vec(), 7), (vec![], 4), (b"defgh".to_vec(), 9)]
            );
            assert_eq!(r.consumed(), (24 + 16 * 3 + 8) as u64);
        }
    }

    #[test]
    fn records_larger_than_a_read_cross_the_buffer_end() {
        let big = vec![7u8; READ_SIZE + 1000];
        let small = vec![1u8; 10];
        let mut r = reader(file(&[&small, &big, &small, &big], false));
        let mut lens = Vec::new();
        while let Some(_rec) = r.next().unwrap() {
            lens.push(r.data().len());
        }
        assert_eq!(lens, [10, READ_SIZE + 1000, 10, READ_SIZE + 1000]);
    }

    #[test]
    fn a_cut_record_is_reported_after_the_whole_ones() {
        let mut bytes = file(&[b"abc", b"defgh"], false);
        bytes.truncate(bytes.len() - 2);
        let mut r = reader(bytes);
        assert!(r.next().unwrap().is_some());
        assert!(matches!(r.next(), Err(Stop::Cut)));
    }

    #[test]
    fn an_absurd_record_length_stops_the_reading() {
        let mut bytes = file(&[b"abc"], false);
        bytes[24 + 8..24 + 12].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(reader(bytes).next(), Err(Stop::TooLong)));
    }
}
