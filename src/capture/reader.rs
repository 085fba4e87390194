//! Reading one capture file, pcap or pcapng, plain or gzip-compressed, from a path or standard
//! input, as a stream of frames in bounded memory.
//!
//! Classic pcap files are read in place by the `legacy` module; pcap-parser parses pcapng (and the
//! rarer pcap variants) over a circular buffer. This module adds what a user
//! expects of a tool: a clear error for a file that is not a capture, per-interface link types
//! and timestamp resolutions for pcapng, and a warning (not an error) when the file is cut or
//! damaged after its first packet, keeping every frame read before.

use std::fs::File;
use std::io::{self, Cursor, Read};
use std::path::{Path, PathBuf};

use pcap_parser::pcapng::Block;
use pcap_parser::traits::{PcapNGPacketBlock, PcapReaderIterator};
use pcap_parser::{PcapBlockOwned, PcapError, create_reader};

use super::error::CaptureError;
use super::legacy::{self, FileHeader, LegacyReader, Stop};
use super::time::Timestamp;
use super::warning::{Warning, WarningKind};

/// Initial size of the circular read buffer.
const BUFFER_SIZE: usize = 1 << 20;
/// The buffer grows up to this for very large records; a larger one means a damaged file (the
/// same bound as for the records of classic pcap).
const MAX_BUFFER_SIZE: usize = legacy::MAX_RECORD;
/// What is said of a record beyond that bound.
const RECORD_TOO_LONG: &str = "a record claims more than 64 MiB";
/// How many bytes are read up front to recognise the format (gzip, pcap, pcapng).
const PROBE_SIZE: usize = 64 * 1024;
/// Interfaces kept per pcapng section; more means a damaged or hostile file.
const MAX_INTERFACES: usize = 65_536;

/// One captured frame's metadata; its bytes are [`CaptureReader::data`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RawFrame {
    /// When it was captured.
    pub ts: Timestamp,
    /// The LINKTYPE_ value of its interface.
    pub linktype: i32,
    /// Its length on the wire (may exceed the captured bytes).
    pub orig_len: u32,
    /// The pcapng interface it came from (0 for pcap).
    pub interface: u32,
}

/// A pcapng interface: link type and clock.
#[derive(Clone, Copy, Debug)]
struct Interface {
    linktype: i32,
    units_per_second: u64,
    offset_seconds: i64,
}

/// Streams the frames of one capture file.
pub struct CaptureReader {
    name: String,
    blocks: Blocks,
    finished: bool,
    /// The stream failed right after the bytes read up front: said when the reading gets
    /// there.
    stream_error: Option<String>,
    /// Classic pcap, not compressed: record offsets are offsets in the byte stream, so a file
    /// can be opened again at one of them ([`CaptureReader::open_at`]).
    seekable: bool,
}

/// Where the frames come from.
enum Blocks {
    /// A classic pcap file, read in place.
    Legacy(LegacyReader),
    /// pcapng and the rest, through pcap-parser; each frame's bytes are copied to `data`.
    Parser {
        inner: Box<dyn PcapReaderIterator + Send>,
        layout: Layout,
        capacity: usize,
        data: Vec<u8>,
    },
}

/// What the file has declared so far about its interfaces.
#[derive(Default)]
struct Layout {
    /// Link type and units of a classic pcap file (None for pcapng).
    legacy: Option<Interface>,
    /// Interfaces of the current pcapng section.
    interfaces: Vec<Interface>,
    /// Non-fatal remarks on the file itself (bad interface descriptions...).
    remarks: Vec<Warning>,
}

impl CaptureReader {
    /// Opens a capture by path; `-` reads standard input.
    pub fn open(path: &Path) -> Result<CaptureReader, CaptureError> {
        let name = path.display().to_string();
        if path.as_os_str() == "-" {
            return CaptureReader::from_read("-".into(), Box::new(io::stdin()));
        }
        let file = File::open(path).map_err(|source| CaptureError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        CaptureReader::from_read(name, Box::new(file))
    }

    /// Opens a classic, uncompressed pcap file at the record that starts at byte `offset`
    /// (as [`CaptureReader::record_offset`] gave it in an earlier reading); `None` for any
    /// other file, which must be read from its start.
    pub fn open_at(path: &Path, offset: u64) -> Option<CaptureReader> {
        use std::io::{Seek, SeekFrom};
        let mut file = File::open(path).ok()?;
        let mut head = [0u8; legacy::FILE_HEADER_LEN];
        file.read_exact(&mut head).ok()?;
        let header = FileHeader::parse(&head)?;
        file.seek(SeekFrom::Start(offset)).ok()?;
        Some(CaptureReader {
            name: path.display().to_string(),
            blocks: Blocks::Legacy(LegacyReader::starting_at(Box::new(file), header, offset)),
            seekable: true,
            finished: false,
            stream_error: None,
        })
    }

    /// Whether its record offsets are offsets in the file (classic pcap, not compressed), so
    /// that the file can be opened again at one of them ([`CaptureReader::open_at`]).
    pub fn seekable(&self) -> bool {
        self.seekable
    }

    /// Where the record of the frame returned last starts, for a classic pcap file.
    pub fn record_offset(&self) -> Option<u64> {
        match &self.blocks {
            Blocks::Legacy(r) => Some(r.record_offset()),
            Blocks::Parser { .. } => None,
        }
    }

    /// Reads a capture from any byte stream; `name` is used in messages.
    pub fn from_read(
        name: String,
        input: Box<dyn Read + Send>,
    ) -> Result<CaptureReader, CaptureError> {
        let io_err = |source| CaptureError::Io {
            path: PathBuf::from(&name),
            source,
        };
        let (mut probe, rest, mut stream_error) = read_probe(input).map_err(io_err)?;
        let mut stream: Box<dyn Read + Send> = Box::new(Cursor::new(probe.clone()).chain(rest));
        let compressed = probe.starts_with(&[0x1f, 0x8b]);
        if compressed {
            let gz: Box<dyn Read + Send> = Box::new(flate2::read::MultiGzDecoder::new(stream));
            let (decompressed, rest, gz_error) = read_probe(gz).map_err(io_err)?;
            probe = decompressed;
            stream_error = stream_error.or(gz_error);
            stream = Box::new(Cursor::new(probe.clone()).chain(rest));
        }
        check_magic(&name, &probe)?;
        if let Some(header) = FileHeader::parse(&probe) {
            // The header was checked above; the records follow it.
            let mut records = stream;
            io::copy(
                &mut records.by_ref().take(legacy::FILE_HEADER_LEN as u64),
                &mut io::sink(),
            )
            .map_err(io_err)?;
            return Ok(CaptureReader {
                name,
                blocks: Blocks::Legacy(LegacyReader::new(records, header)),
                seekable: !compressed,
                finished: false,
                stream_error,
            });
        }
        let inner = create_reader(BUFFER_SIZE, stream).map_err(|err| match err {
            PcapError::ReadError => CaptureError::Io {
                path: PathBuf::from(&name),
                source: io::Error::other("read failed"),
            },
            PcapError::Incomplete(_) | PcapError::Eof | PcapError::UnexpectedEof => {
                CaptureError::TooShort {
                    path: PathBuf::from(&name),
                    len: probe.len(),
                }
            }
            _ => CaptureError::NotACapture {
                path: PathBuf::from(&name),
            },
        })?;
        Ok(CaptureReader {
            name,
            blocks: Blocks::Parser {
                inner,
                layout: Layout::default(),
                capacity: BUFFER_SIZE,
                data: Vec::new(),
            },
            seekable: false,
            finished: false,
            stream_error,
        })
    }

    /// The name given at opening (the path, or `-`).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Remarks gathered so far about the file's own structure; drains them.
    pub fn take_remarks(&mut self) -> Vec<Warning> {
        match &mut self.blocks {
            Blocks::Legacy(_) => Vec::new(),
            Blocks::Parser { layout, .. } => std::mem::take(&mut layout.remarks),
        }
    }

    /// Bytes consumed so far (of the decompressed stream).
    pub fn offset(&self) -> u64 {
        match &self.blocks {
            Blocks::Legacy(r) => r.consumed(),
            Blocks::Parser { inner, .. } => inner.consumed() as u64,
        }
    }

    /// The bytes of the frame returned last by [`CaptureReader::next_frame`].
    pub fn data(&self) -> &[u8] {
        match &self.blocks {
            Blocks::Legacy(r) => r.data(),
            Blocks::Parser { data, .. } => data,
        }
    }

    /// Reads the next frame (its bytes through [`CaptureReader::data`]). `Ok(None)` at the
    /// end; `Err` once when the file is cut or damaged, after which the reader is finished.
    pub fn next_frame(&mut self) -> Result<Option<RawFrame>, Warning> {
        if self.finished {
            return Ok(None);
        }
        let result = match &mut self.blocks {
            Blocks::Legacy(r) => legacy_frame(r),
            Blocks::Parser {
                inner,
                layout,
                capacity,
                data,
            } => parser_frame(inner.as_mut(), layout, capacity, data),
        };
        match result {
            Ok(Some(frame)) => Ok(Some(frame)),
            Ok(None) => match self.stream_error.take() {
                Some(err) => Err(self.stop(&err)),
                None => {
                    self.finished = true;
                    Ok(None)
                }
            },
            Err(Fault::Cut) => {
                let detail = match self.stream_error.take() {
                    Some(err) => err,
                    None => "the file ends in the middle of a record".to_string(),
                };
                Err(self.stop(&detail))
            }
            Err(Fault::Other(detail)) => Err(self.stop(&detail)),
        }
    }

    fn stop(&mut self, detail: &str) -> Warning {
        self.finished = true;
        Warning {
            frame: None,
            kind: WarningKind::CaptureTruncated {
                file: self.name.clone(),
                offset: self.offset(),
                after_frame: 0,
                detail: detail.to_string(),
            },
        }
    }
}

/// Why a file's frames stopped early.
enum Fault {
    /// The file ends inside a record (or the stream failed: see `stream_error`).
    Cut,
    /// Anything else, said as is.
    Other(String),
}

fn legacy_frame(r: &mut LegacyReader) -> Result<Option<RawFrame>, Fault> {
    match r.next() {
        Ok(Some(record)) => Ok(Some(RawFrame {
            ts: record.ts,
            linktype: r.header().linktype,
            orig_len: record.orig_len,
            interface: 0,
        })),
        Ok(None) => Ok(None),
        Err(Stop::Cut) => Err(Fault::Cut),
        Err(Stop::TooLong) => Err(Fault::Other(RECORD_TOO_LONG.into())),
        Err(Stop::Io(e)) => Err(Fault::Other(format!("read error: {e}"))),
    }
}

fn parser_frame(
    inner: &mut (dyn PcapReaderIterator + Send),
    layout: &mut Layout,
    capacity: &mut usize,
    data: &mut Vec<u8>,
) -> Result<Option<RawFrame>, Fault> {
    loop {
        match inner.next() {
            Ok((consumed, block)) => {
                let frame = layout.take_block(block, data);
                inner.consume(consumed);
                if let Some(frame) = frame {
                    return Ok(Some(frame));
                }
            }
            Err(PcapError::Eof) => return Ok(None),
            Err(PcapError::Incomplete(_)) => {
                if inner.refill().is_err() {
                    return Err(Fault::Other("read error".into()));
                }
            }
            Err(PcapError::BufferTooSmall) => {
                let bigger = capacity.saturating_mul(2);
                if bigger > MAX_BUFFER_SIZE || !inner.grow(bigger) {
                    return Err(Fault::Other(RECORD_TOO_LONG.into()));
                }
                *capacity = bigger;
                if inner.refill().is_err() {
                    return Err(Fault::Other("read error".into()));
                }
            }
            Err(PcapError::UnexpectedEof) => return Err(Fault::Cut),
            Err(PcapError::ReadError) => return Err(Fault::Other("read error".into())),
            Err(_) => return Err(Fault::Other("a record header is damaged".into())),
        }
    }
}

impl Layout {
    /// Copies a packet block into `data` and returns its metadata; records file structure.
    fn take_block(&mut self, block: PcapBlockOwned<'_>, data: &mut Vec<u8>) -> Option<RawFrame> {
        data.clear();
        match block {
            PcapBlockOwned::LegacyHeader(header) => {
                self.legacy = Some(Interface {
                    linktype: header.network.0,
                    units_per_second: if header.is_nanosecond_precision() {
                        1_000_000_000
                    } else {
                        1_000_000
                    },
                    offset_seconds: 0,
                });
                None
            }
            PcapBlockOwned::Legacy(packet) => {
                let iface = self.legacy?;
                data.extend_from_slice(packet.data);
                Some(RawFrame {
                    ts: Timestamp::from_parts(
                        i64::from(packet.ts_sec),
                        u64::from(packet.ts_usec),
                        iface.units_per_second,
                    ),
                    linktype: iface.linktype,
                    orig_len: packet.origlen,
                    interface: 0,
                })
            }
            PcapBlockOwned::NG(Block::SectionHeader(_)) => {
                self.interfaces.clear();
                None
            }
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                let units_per_second = idb.ts_resolution().unwrap_or_else(|| {
                    self.remarks.push(Warning {
                        frame: None,
                        kind: WarningKind::DamagedPacket {
                            detail: format!(
                                "pcapng interface {} has an invalid time resolution ({}); microseconds assumed",
                                self.interfaces.len(),
                                idb.if_tsresol
                            ),
                        },
                    });
                    1_000_000
                });
                if self.interfaces.len() < MAX_INTERFACES {
                    self.interfaces.push(Interface {
                        linktype: idb.linktype.0,
                        units_per_second,
                        offset_seconds: idb.if_tsoffset,
                    });
                }
                None
            }
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                let Some(iface) = self.interfaces.get(epb.if_id as usize).copied() else {
                    self.remarks.push(Warning {
                        frame: None,
                        kind: WarningKind::DamagedPacket {
                            detail: format!(
                                "pcapng packet refers to undeclared interface {}; skipped",
                                epb.if_id
                            ),
                        },
                    });
                    return None;
                };
                data.extend_from_slice(epb.packet_data());
                let units = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                Some(RawFrame {
                    ts: Timestamp::from_units(units, iface.units_per_second, iface.offset_seconds),
                    linktype: iface.linktype,
                    orig_len: epb.origlen,
                    interface: epb.if_id,
                })
            }
            PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                // Simple packets have no timestamp and always belong to interface 0.
                let iface = self.interfaces.first().copied()?;
                data.extend_from_slice(spb.packet_data());
                Some(RawFrame {
                    ts: Timestamp::default(),
                    linktype: iface.linktype,
                    orig_len: spb.origlen,
                    interface: 0,
                })
            }
            PcapBlockOwned::NG(_) => None,
        }
    }
}

/// What [`read_probe`] returns: the bytes read up front, the rest of the stream, and the
/// error that ended the stream early, if one did.
type Probe = (Vec<u8>, Box<dyn Read + Send>, Option<String>);

/// Reads up to [`PROBE_SIZE`] bytes, looping over short reads (pipes, decompressors), and
/// returns them with the rest of the stream. A read error after some bytes (a cut or corrupt
/// gzip file smaller than the probe) is not an error yet: the stream ends there, the frames
/// before it are read, and the error is reported as damage where the reading stops.
fn read_probe(mut input: Box<dyn Read + Send>) -> io::Result<Probe> {
    let mut probe = Vec::with_capacity(PROBE_SIZE);
    match input
        .by_ref()
        .take(PROBE_SIZE as u64)
        .read_to_end(&mut probe)
    {
        Ok(_) => Ok((probe, input, None)),
        Err(err) if probe.is_empty() => Err(err),
        Err(err) => Ok((probe, Box::new(io::empty()), Some(err.to_string()))),
    }
}

/// Recognises the pcap and pcapng magic numbers before handing the stream to the parser.
fn check_magic(name: &str, probe: &[u8]) -> Result<(), CaptureError> {
    const PCAP_MAGICS: [[u8; 4]; 6] = [
        [0xd4, 0xc3, 0xb2, 0xa1],
        [0xa1, 0xb2, 0xc3, 0xd4],
        [0x4d, 0x3c, 0xb2, 0xa1],
        [0xa1, 0xb2, 0x3c, 0x4d],
        [0x34, 0xcd, 0xb2, 0xa1],
        [0xa1, 0xb2, 0xcd, 0x34],
    ];
    const PCAPNG_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
    let (known, header_len) = match probe.get(..4) {
        Some(m) if m == PCAPNG_MAGIC => (true, 28),
        Some(m) if PCAP_MAGICS.iter().any(|magic| magic == m) => (true, 24),
        _ => (false, 0),
    };
    if probe.len() < 4 || (known && probe.len() < header_len) {
        return Err(CaptureError::TooShort {
            path: PathBuf::from(name),
            len: probe.len(),
        });
    }
    if !known {
        if let Some(format) = other_format(probe) {
            return Err(CaptureError::OtherFormat {
                path: PathBuf::from(name),
                format,
            });
        }
        return Err(CaptureError::NotACapture {
            path: PathBuf::from(name),
        });
    }
    Ok(())
}

/// The capture formats Wireshark reads that are not pcap or pcapng, by their magic bytes (as
/// Wireshark's own readers recognise them). ERF has no magic number and is not named.
fn other_format(probe: &[u8]) -> Option<&'static str> {
    const FORMATS: [(&[u8], &str); 8] = [
        (b"GMBU", "Microsoft Network Monitor 2"),
        (b"RTSS", "Microsoft Network Monitor 1"),
        (b"snoop\0\0\0", "Solaris snoop"),
        (b"TRSNIFF data", "Sniffer (DOS)"),
        (b"XCP\0", "NetXRay / Sniffer (Windows)"),
        (b"iptrace 1.0", "AIX iptrace"),
        (b"iptrace 2.0", "AIX iptrace"),
        (b"ObserverPktBuffer", "Network Instruments Observer"),
    ];
    FORMATS
        .iter()
        .find(|(magic, _)| probe.starts_with(magic))
        .map(|(_, name)| *name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pcap(records: &[(&[u8], u32)], nanos: bool) -> Vec<u8> {
        let mut out = Vec::new();
        let magic: u32 = if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 };
        out.extend_from_slice(&magic.to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&65535u32.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        for (data, frac) in records {
            out.extend_from_slice(&100u32.to_le_bytes());
            out.extend_from_slice(&frac.to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(&(data.len() as u32).to_le_bytes());
            out.extend_from_slice(data);
        }
        out
    }

    fn read_all(bytes: Vec<u8>) -> (Vec<(RawFrame, Vec<u8>)>, Option<Warning>) {
        let mut reader =
            CaptureReader::from_read("t".into(), Box::new(Cursor::new(bytes))).expect("a capture");
        let mut frames = Vec::new();
        loop {
            match reader.next_frame() {
                Ok(Some(frame)) => frames.push((frame, reader.data().to_vec())),
                Ok(None) => return (frames, None),
                Err(w) => return (frames, Some(w)),
            }
        }
    }

    #[test]
    fn reads_micro_and_nanosecond_pcap() {
        let (frames, warn) = read_all(pcap(&[(b"abc", 5), (b"de", 7)], false));
        assert!(warn.is_none());
        assert_eq!(frames.len(), 2);
        assert_eq!(frames[0].1, b"abc");
        assert_eq!(frames[0].0.ts, Timestamp(100_000_005_000));
        let (frames, _) = read_all(pcap(&[(b"abc", 5)], true));
        assert_eq!(frames[0].0.ts, Timestamp(100_000_000_005));
        assert_eq!(frames[0].0.linktype, 1);
    }

    #[test]
    fn a_cut_file_keeps_what_came_before() {
        let mut bytes = pcap(&[(b"abcdef", 0), (b"ghijkl", 0)], false);
        bytes.truncate(bytes.len() - 3);
        let (frames, warn) = read_all(bytes);
        assert_eq!(frames.len(), 1);
        let warn = warn.expect("a truncation warning");
        assert!(matches!(
            warn.kind,
            WarningKind::CaptureTruncated { offset: 46, .. }
        ));
    }

    #[test]
    fn gzip_is_transparent() {
        use std::io::Write;
        let raw = pcap(&[(b"abc", 1)], false);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        let (frames, warn) = read_all(gz.finish().unwrap());
        assert!(warn.is_none());
        assert_eq!(frames.len(), 1);
    }

    #[test]
    fn rejects_what_is_not_a_capture() {
        let err = CaptureReader::from_read(
            "notes.txt".into(),
            Box::new(Cursor::new(b"hello, this is text\n".to_vec())),
        )
        .err()
        .expect("an error");
        assert_eq!(err.to_string(), "notes.txt is not a pcap or pcapng capture");
        // Other capture formats are named, with the way to convert them.
        let mut netmon = b"GMBU\x00\x02".to_vec();
        netmon.resize(64, 0);
        let err = CaptureReader::from_read("trace.cap".into(), Box::new(Cursor::new(netmon)))
            .err()
            .expect("an error");
        assert_eq!(
            err.to_string(),
            "trace.cap is a Microsoft Network Monitor 2 capture, not pcap or pcapng: convert it with Wireshark's editcap, `editcap -F pcap trace.cap converted.pcap`, then read converted.pcap"
        );
        let mut snoop = b"snoop\0\0\0\0\0\0\x02\0\0\0\x04".to_vec();
        snoop.resize(64, 0);
        let err = CaptureReader::from_read("s.snoop".into(), Box::new(Cursor::new(snoop)))
            .err()
            .expect("an error");
        assert!(err.to_string().contains("Solaris snoop"), "{err}");
        let err = CaptureReader::from_read("e".into(), Box::new(Cursor::new(Vec::new())))
            .err()
            .expect("an error");
        assert!(matches!(err, CaptureError::TooShort { len: 0, .. }));
        let short = pcap(&[], false)[..10].to_vec();
        let err = CaptureReader::from_read("s".into(), Box::new(Cursor::new(short)))
            .err()
            .expect("an error");
        assert!(matches!(err, CaptureError::TooShort { len: 10, .. }));
    }

    #[test]
    fn huge_record_length_is_a_warning() {
        let mut bytes = pcap(&[(b"abc", 1)], false);
        bytes.extend_from_slice(&[0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 1, 0, 0, 0]);
        bytes.extend_from_slice(&[0; 100]);
        let (frames, warn) = read_all(bytes);
        assert_eq!(frames.len(), 1);
        assert!(warn.is_some());
    }

    /// A gzip capture cut inside its first 64 KiB failed as a whole ("incomplete deflate
    /// stream") instead of giving back the frames before the cut.
    #[test]
    fn a_cut_gzip_capture_keeps_what_came_before() {
        use std::io::Write;
        let records: Vec<(Vec<u8>, u32)> = (0..200u32).map(|i| (vec![i as u8; 100], i)).collect();
        let refs: Vec<(&[u8], u32)> = records.iter().map(|(d, f)| (d.as_slice(), *f)).collect();
        let raw = pcap(&refs, false);
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(&raw).unwrap();
        let mut compressed = gz.finish().unwrap();
        compressed.truncate(compressed.len() * 2 / 3);
        let (frames, warn) = read_all(compressed);
        assert!(!frames.is_empty() && frames.len() < 200, "{}", frames.len());
        assert!(matches!(
            warn.map(|w| w.kind),
            Some(WarningKind::CaptureTruncated { .. })
        ));
    }
}
