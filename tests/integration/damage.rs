//! Damaged captures: every sample cut at many offsets, and with random bits flipped (fixed
//! seed). The binary must exit 0 or 2 (never 101, the exit code of a panic, and never be
//! killed by a signal), give back everything that came before the damage, and say at which
//! byte the damage is.
//!
//! What "everything before the damage" means is measured, not guessed: a file cut inside a
//! record is compared with the same file cut at the end of the last whole record (a clean,
//! shorter capture), and a file with flipped bits with the records before the first flipped
//! byte, decoded alone.

use std::path::{Path, PathBuf};

use sipladder::capture::{CaptureReader, Decoder, Event, Frame};

use crate::common::{root, sipladder};

/// Where the records of a capture file start and end.
struct Layout {
    /// Bytes of the file header (pcap) or of the first section header block (pcapng).
    header_len: usize,
    /// (start, end, carries a frame) of each whole record or block, in file order.
    records: Vec<(usize, usize, bool)>,
}

impl Layout {
    /// The end of the last whole record at or before `offset` (the header's end at least).
    fn boundary(&self, offset: usize) -> usize {
        self.records
            .iter()
            .map(|r| r.1)
            .filter(|end| *end <= offset)
            .max()
            .unwrap_or(self.header_len)
            .max(self.header_len)
    }

    /// Frames in the records that end at or before `offset`.
    fn frames_before(&self, offset: usize) -> usize {
        self.records.iter().filter(|r| r.2 && r.1 <= offset).count()
    }
}

fn u32_at(bytes: &[u8], at: usize, big: bool) -> Option<usize> {
    let b: [u8; 4] = bytes.get(at..at + 4)?.try_into().ok()?;
    Some(if big {
        u32::from_be_bytes(b)
    } else {
        u32::from_le_bytes(b)
    } as usize)
}

/// Reads the record structure of a pcap or pcapng file (not compressed).
fn layout(bytes: &[u8]) -> Option<Layout> {
    let magic = bytes.get(..4)?;
    let mut records = Vec::new();
    if magic == [0x0a, 0x0d, 0x0d, 0x0a] {
        let big = bytes.get(8..12)? == [0x1a, 0x2b, 0x3c, 0x4d];
        let mut pos = 0;
        while let (Some(kind), Some(len)) = (u32_at(bytes, pos, big), u32_at(bytes, pos + 4, big)) {
            if len < 12 || pos + len > bytes.len() {
                break;
            }
            records.push((pos, pos + len, matches!(kind, 2 | 3 | 6)));
            pos += len;
        }
        let header_len = records.first()?.1;
        records.remove(0);
        return Some(Layout {
            header_len,
            records,
        });
    }
    let big = match magic {
        [0xd4, 0xc3, 0xb2, 0xa1] | [0x4d, 0x3c, 0xb2, 0xa1] => false,
        [0xa1, 0xb2, 0xc3, 0xd4] | [0xa1, 0xb2, 0x3c, 0x4d] => true,
        _ => return None,
    };
    let mut pos = 24;
    while let Some(caplen) = u32_at(bytes, pos + 8, big) {
        let end = pos + 16 + caplen;
        if end > bytes.len() {
            break;
        }
        records.push((pos, end, true));
        pos = end;
    }
    Some(Layout {
        header_len: 24,
        records,
    })
}

/// The samples: every capture in `samples/` and `samples/public/` (not `samples/invalid/`).
fn samples() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for dir in ["samples", "samples/public"] {
        for entry in std::fs::read_dir(root().join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".pcap") || name.ends_with(".pcapng") || name.ends_with(".pcap.gz") {
                out.push(path);
            }
        }
    }
    out.sort();
    assert!(out.len() > 30, "samples not found");
    out
}

/// A fixed-seed generator (xorshift64), so that every run damages the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Runs the binary; returns its exit code, standard output and standard error.
fn run(args: &[&str], file: &Path) -> (i32, Vec<u8>, String) {
    let out = sipladder().args(args).arg(file).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let code = out
        .status
        .code()
        .unwrap_or_else(|| panic!("{file:?}: killed by a signal; stderr: {stderr}"));
    assert!(
        !stderr.contains("panicked"),
        "{file:?}: {args:?} panicked: {stderr}"
    );
    (code, out.stdout, stderr)
}

/// The SIP messages found while decoding the first `frames` frames of a capture (all of them
/// when `None`), without ending the input: exactly what a longer or damaged capture with the
/// same first records must also yield, in the same order. Each is (the frame being decoded
/// when it came out, the frame it names, its bytes): a message held behind a TCP hole comes
/// out later than the frame it names.
fn messages(bytes: &[u8], frames: Option<usize>) -> Vec<(u64, u64, Vec<u8>)> {
    let Ok(mut reader) =
        CaptureReader::from_read("t".into(), Box::new(std::io::Cursor::new(bytes.to_vec())))
    else {
        return Vec::new();
    };
    let mut decoder = Decoder::default();
    let mut found = Vec::new();
    let mut number = 0;
    while frames.is_none_or(|n| number < n as u64) {
        let Ok(Some(raw)) = reader.next_frame() else {
            break;
        };
        number += 1;
        let frame = Frame {
            number,
            ts: raw.ts,
            linktype: raw.linktype,
            orig_len: raw.orig_len,
            data: reader.data(),
        };
        decoder.decode(&frame, &mut |e| {
            if let Event::Sip(m) = e {
                found.push((number, m.frame, m.bytes.to_vec()));
            }
        });
    }
    found
}

/// Cuts through the library at many offsets: whatever the cut, no panic, and the messages of
/// the whole records before it come out first and unchanged.
#[test]
fn every_sample_cut_anywhere_keeps_what_came_before() {
    let files = samples();
    std::thread::scope(|scope| {
        for chunk in files.chunks(files.len().div_ceil(2)) {
            scope.spawn(move || chunk.iter().for_each(|path| cut_in_library(path)));
        }
    });
}

fn cut_in_library(path: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let Some(layout) = layout(&bytes) else {
        return; // compressed: the binary test below cuts it
    };
    let full = messages(&bytes, None);
    let mut rng = Rng(0x5eed_0001);
    let mut offsets: Vec<usize> = (0..8).map(|_| rng.below(bytes.len())).collect();
    // Around record boundaries, where readers are most often wrong.
    let step = (layout.records.len() / 4).max(1);
    for r in layout.records.iter().step_by(step).take(4) {
        offsets.extend([r.0, r.0 + 1, r.0 + 15, r.0 + 16, r.0 + 17]);
    }
    for cut in offsets {
        let cut = cut.min(bytes.len());
        let got = messages(&bytes[..cut], None);
        let want = layout.frames_before(cut);
        let before: Vec<_> = full
            .iter()
            .filter(|m| m.0 <= want as u64)
            .cloned()
            .collect();
        assert!(
            got.len() >= before.len() && got[..before.len()] == before[..],
            "{path:?} cut at {cut}: {} messages before the cut, {} found",
            before.len(),
            got.len()
        );
    }
}

/// Cuts through the binary: exit 2 and the offset of the damage when the cut is inside a
/// record, exit 0 at a record boundary, and in both cases the same calls as the clean capture
/// that ends at the last whole record.
#[test]
fn the_binary_reports_a_cut_and_prints_the_calls_before_it() {
    let dir = tempfile::tempdir().unwrap();
    let files = samples();
    std::thread::scope(|scope| {
        for (part, chunk) in files.chunks(files.len().div_ceil(2)).enumerate() {
            let dir = dir.path().join(part.to_string());
            scope.spawn(move || {
                std::fs::create_dir_all(&dir).unwrap();
                for path in chunk {
                    cut_sample(path, &dir);
                }
            });
        }
    });
}

fn cut_sample(path: &Path, dir: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let cut_file = dir.join("cut.pcap");
    let clean_file = dir.join("clean.pcap");
    let Some(layout) = layout(&bytes) else {
        // Compressed: cut the compressed stream; only the exit code can be checked.
        for i in 1..6 {
            std::fs::write(&cut_file, &bytes[..bytes.len() * i / 6]).unwrap();
            let (code, _, stderr) = run(&["calls", "--json"], &cut_file);
            assert!(code == 0 || code == 2, "{path:?}: exit {code}: {stderr}");
        }
        return;
    };
    // Inside the file header: not a capture yet, one clear line and exit 1.
    std::fs::write(&cut_file, &bytes[..layout.header_len - 1]).unwrap();
    let (code, _, stderr) = run(&["calls", "--json"], &cut_file);
    assert_eq!(code, 1, "{path:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");

    let len = bytes.len();
    let mut rng = Rng(0x5eed_0002 ^ len as u64);
    let mut offsets: Vec<usize> = (1..5)
        .map(|i| layout.header_len + (len - layout.header_len) * i / 5)
        .collect();
    offsets.push(layout.header_len + rng.below(len - layout.header_len));
    if let Some(r) = layout.records.get(layout.records.len() / 2) {
        offsets.push(r.1); // exactly at a boundary: a clean capture
    }
    for cut in offsets {
        let boundary = layout.boundary(cut);
        std::fs::write(&cut_file, &bytes[..cut]).unwrap();
        std::fs::write(&clean_file, &bytes[..boundary]).unwrap();
        let (code, out, stderr) = run(&["calls", "--json"], &cut_file);
        let (clean_code, clean_out, clean_err) = run(&["calls", "--json"], &clean_file);
        assert_eq!(clean_code, 0, "{path:?} clean at {boundary}: {clean_err}");
        if cut == boundary {
            assert_eq!(code, 0, "{path:?} cut at a boundary ({cut}): {stderr}");
        } else {
            assert_eq!(code, 2, "{path:?} cut at {cut}: {stderr}");
            let said = format!(
                "capture truncated or damaged at byte {boundary}, after frame {}",
                layout.frames_before(cut)
            );
            assert!(
                stderr.contains(&said),
                "{path:?} cut at {cut}: want {said:?} in {stderr}"
            );
        }
        assert_eq!(
            String::from_utf8_lossy(&out),
            String::from_utf8_lossy(&clean_out),
            "{path:?} cut at {cut}: the calls differ from the clean capture's"
        );
    }
}

/// Random bit flips after the file header: exit 0 or 2, the offset said when the reading
/// stopped, and every message of the records before the first flipped byte still found.
#[test]
fn flipped_bits_never_crash_and_keep_what_came_before() {
    let dir = tempfile::tempdir().unwrap();
    let files = samples();
    std::thread::scope(|scope| {
        for (part, chunk) in files.chunks(files.len().div_ceil(2)).enumerate() {
            let dir = dir.path().join(part.to_string());
            scope.spawn(move || {
                std::fs::create_dir_all(&dir).unwrap();
                for path in chunk {
                    flip_sample(path, &dir);
                }
            });
        }
    });
}

fn flip_sample(path: &Path, dir: &Path) {
    let bytes = std::fs::read(path).unwrap();
    let file = dir.join("flipped.pcap");
    let header_len = layout(&bytes).map_or(24, |l| l.header_len);
    let mut rng = Rng(0x5eed_0003 ^ bytes.len() as u64);
    for variant in 0..6 {
        let mut damaged = bytes.clone();
        let flips = 1 + variant * 3;
        let mut first = damaged.len();
        for _ in 0..flips {
            let at = header_len + rng.below(damaged.len() - header_len);
            damaged[at] ^= 1 << rng.below(8);
            first = first.min(at);
        }
        std::fs::write(&file, &damaged).unwrap();
        let (code, out, stderr) = run(&["stats", "--json"], &file);
        let Some(layout) = layout(&bytes) else {
            // Compressed: damage before the first decompressed byte leaves nothing to read,
            // which is a bad input file (exit 1, one line), not a partial result.
            assert!(
                code == 0 || code == 2 || (code == 1 && stderr.contains("deflate")),
                "{path:?} variant {variant}: exit {code}: {stderr}"
            );
            continue;
        };
        assert!(
            code == 0 || code == 2,
            "{path:?} variant {variant}: exit {code}: {stderr}"
        );
        if code == 2 {
            assert!(stderr.contains("damaged at byte"), "{path:?}: {stderr}");
        }
        let before = messages(&bytes, Some(layout.frames_before(first)));
        let got = messages(&damaged, None);
        assert!(
            got.len() >= before.len() && got[..before.len()] == before[..],
            "{path:?} variant {variant}: the messages before byte {first} changed"
        );
        let stats: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert!(
            stats["sip_messages"].as_u64().unwrap() >= before.len() as u64,
            "{path:?} variant {variant}: fewer messages than before the damage"
        );
    }
}
