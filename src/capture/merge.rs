//! Several captures read as one, frame by frame in time order (ties keep file order), so
//! captures taken on two hosts of the same exchange make one ladder.

use std::ops::RangeInclusive;
use std::sync::Arc;

use super::decode::Frame;
use super::reader::{CaptureReader, RawFrame};
use super::time::Timestamp;
use super::tls::KeyLog;
use super::warning::{Warning, WarningKind};

struct Source {
    reader: CaptureReader,
    pending: Option<RawFrame>,
}

/// A part of the inputs to read, by frame number (see [`MergedReader::only`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameWindow {
    /// The first and last frame to read.
    pub frames: RangeInclusive<u64>,
    /// Before the first frame, frames captured from this time are read too.
    pub since: Timestamp,
    /// Past the last frame, frames captured until this time are read too (the media that
    /// goes on after the last message).
    pub until: Timestamp,
}

/// A frame a later reading of the same single, uncompressed classic pcap input can start at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeekPoint {
    /// The frame's number.
    pub number: u64,
    /// Where its record starts in the file.
    pub offset: u64,
    /// Its capture time.
    pub ts: Timestamp,
}

/// Bytes of input between two seek points (about 500 for 2 GB).
const SEEK_POINT_BYTES: u64 = 4 << 20;

/// What to do with a frame when only some windows are read.
enum Wanted {
    Yes,
    No,
    /// Every window is behind: nothing more to read.
    Done,
}

/// Reads any number of captures as a single time-ordered stream of frames.
pub struct MergedReader {
    sources: Vec<Source>,
    /// The source whose frame was handed out last and must be refilled.
    last: Option<usize>,
    number: u64,
    warnings: Vec<Warning>,
    damaged: bool,
    /// Only these parts are handed out, when set (sorted, not overlapping).
    windows: Option<Vec<FrameWindow>>,
    /// Noted while reading a single seekable input.
    seek_points: Vec<SeekPoint>,
    /// Secrets to read TLS in these inputs.
    tls_keys: Option<Arc<KeyLog>>,
}

impl MergedReader {
    /// These inputs, with the secrets to read TLS in them.
    pub fn with_tls_keys(self, tls_keys: Option<Arc<KeyLog>>) -> MergedReader {
        MergedReader { tls_keys, ..self }
    }

    /// The secrets to read TLS in these inputs.
    pub fn tls_keys(&self) -> Option<Arc<KeyLog>> {
        self.tls_keys.clone()
    }

    /// Merges the given readers; each is read ahead by one frame.
    pub fn new(readers: Vec<CaptureReader>) -> MergedReader {
        let mut merged = MergedReader {
            sources: readers
                .into_iter()
                .map(|reader| Source {
                    reader,
                    pending: None,
                })
                .collect(),
            last: None,
            number: 0,
            warnings: Vec::new(),
            damaged: false,
            windows: None,
            seek_points: Vec::new(),
            tls_keys: None,
        };
        for i in 0..merged.sources.len() {
            merged.refill(i);
        }
        merged
    }

    fn refill(&mut self, i: usize) {
        let Some(source) = self.sources.get_mut(i) else {
            return;
        };
        source.pending = match source.reader.next_frame() {
            Ok(frame) => frame,
            Err(mut warning) => {
                if let WarningKind::CaptureTruncated { after_frame, .. } = &mut warning.kind {
                    *after_frame = self.number;
                }
                self.damaged = true;
                self.warnings.push(warning);
                None
            }
        };
        self.warnings.extend(source.reader.take_remarks());
    }

    /// Opens a single classic pcap file at a seek point noted by an earlier reading of it: the
    /// frames keep the numbers they had then. `None` when the file cannot be opened so.
    pub fn open_at(path: &std::path::Path, point: SeekPoint) -> Option<MergedReader> {
        let reader = CaptureReader::open_at(path, point.offset)?;
        let mut merged = MergedReader::new(vec![reader]);
        merged.number = point.number.saturating_sub(1);
        Some(merged)
    }

    /// The seek points noted so far (only for a single, uncompressed classic pcap input).
    pub fn seek_points(&self) -> &[SeekPoint] {
        &self.seek_points
    }

    fn note_seek_point(&mut self, ts: Timestamp) {
        // A look every 1024 frames is enough to place a point every few MB.
        if self.number % 1024 != 0 {
            return;
        }
        let [source] = self.sources.as_slice() else {
            return;
        };
        if !source.reader.seekable() {
            return;
        }
        let Some(offset) = source.reader.record_offset() else {
            return;
        };
        let due = self
            .seek_points
            .last()
            .is_none_or(|p| offset >= p.offset + SEEK_POINT_BYTES);
        if due {
            self.seek_points.push(SeekPoint {
                number: self.number,
                offset,
                ts,
            });
        }
    }

    /// Hands out only the frames of these windows (frames keep their numbers); the others
    /// are read past without being decoded, and reading stops after the last window. A second
    /// reading that draws a few calls of a large capture takes seconds less this way.
    pub fn only(&mut self, mut windows: Vec<FrameWindow>) {
        windows.sort_by_key(|w| *w.frames.start());
        let mut merged: Vec<FrameWindow> = Vec::with_capacity(windows.len());
        for w in windows {
            match merged.last_mut() {
                Some(last) if *w.frames.start() <= last.frames.end().saturating_add(1) => {
                    let end = *last.frames.end().max(w.frames.end());
                    last.frames = *last.frames.start()..=end;
                    last.since = last.since.min(w.since);
                    last.until = last.until.max(w.until);
                }
                _ => merged.push(w),
            }
        }
        self.windows = Some(merged);
    }

    fn wanted(&mut self, number: u64, ts: Timestamp) -> Wanted {
        let Some(windows) = self.windows.as_mut() else {
            return Wanted::Yes;
        };
        windows.retain(|w| number <= *w.frames.end() || ts <= w.until);
        // Sorted by first frame: when the first window has not begun (nor its lead), the
        // others, later still, have not either.
        match windows.first() {
            None => Wanted::Done,
            Some(w) if number >= *w.frames.start() || ts >= w.since => Wanted::Yes,
            Some(_) => Wanted::No,
        }
    }

    /// The next frame in time order, or `None` when every input is exhausted (or every
    /// window read).
    pub fn next_frame(&mut self) -> Option<Frame<'_>> {
        let i = loop {
            if let Some(i) = self.last.take() {
                self.refill(i);
            }
            let (ts, i) = self
                .sources
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.pending.map(|f| (f.ts, i)))
                .min()?;
            self.last = Some(i);
            self.number += 1;
            match self.wanted(self.number, ts) {
                Wanted::Yes => {
                    self.note_seek_point(ts);
                    break i;
                }
                Wanted::No => continue,
                Wanted::Done => return None,
            }
        };
        let source = self.sources.get(i)?;
        let raw = source.pending?;
        Some(Frame {
            number: self.number,
            ts: raw.ts,
            linktype: raw.linktype,
            orig_len: raw.orig_len,
            data: source.reader.data(),
        })
    }

    /// Warnings about the files themselves (truncation, bad blocks); drains them.
    pub fn take_warnings(&mut self) -> Vec<Warning> {
        std::mem::take(&mut self.warnings)
    }

    /// Whether some input stopped early because it was cut or damaged.
    pub fn damaged(&self) -> bool {
        self.damaged
    }

    /// Bytes read so far over all inputs (of the decompressed streams).
    pub fn bytes_read(&self) -> u64 {
        self.sources.iter().map(|s| s.reader.offset()).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn sample(name: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("samples")
            .join(name)
    }

    fn frames(merged: &mut MergedReader) -> Vec<(u64, Timestamp, Vec<u8>)> {
        let mut out = Vec::new();
        while let Some(f) = merged.next_frame() {
            out.push((f.number, f.ts, f.data.to_vec()));
        }
        out
    }

    /// A reading that starts at a seek point sees the same frames, with the same numbers, as
    /// the whole reading from that frame on.
    #[test]
    fn a_reading_from_a_seek_point_continues_the_whole_one() {
        let path = sample("lab-udp-concurrent.pcap");
        let mut whole = MergedReader::new(vec![CaptureReader::open(&path).unwrap()]);
        let all = frames(&mut whole);
        let points = whole.seek_points().to_vec();
        assert!(!points.is_empty());
        for point in points {
            let mut part = MergedReader::open_at(&path, point).unwrap();
            let rest = frames(&mut part);
            let from = all.iter().position(|f| f.0 == point.number).unwrap();
            assert_eq!(rest, all[from..], "from frame {}", point.number);
        }
    }

    /// Compressed files, pcapng and several inputs note no seek points.
    #[test]
    fn only_a_single_plain_pcap_is_sought() {
        use std::io::Write;
        let gz =
            std::env::temp_dir().join(format!("sipladder-seek-{}.pcap.gz", std::process::id()));
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        encoder
            .write_all(&std::fs::read(sample("lab-udp-concurrent.pcap")).unwrap())
            .unwrap();
        std::fs::write(&gz, encoder.finish().unwrap()).unwrap();
        for inputs in [
            vec![gz.clone()],
            vec![sample("lab-udp.pcapng")],
            vec![sample("lab-udp-concurrent.pcap"), sample("lab-udp.pcap")],
        ] {
            let readers = inputs
                .iter()
                .map(|p| CaptureReader::open(p).unwrap())
                .collect();
            let mut merged = MergedReader::new(readers);
            frames(&mut merged);
            assert!(merged.seek_points().is_empty(), "{inputs:?}");
        }
        let _ = std::fs::remove_file(&gz);
        assert!(
            MergedReader::open_at(
                &sample("lab-udp.pcapng"),
                SeekPoint {
                    number: 1,
                    offset: 0,
                    ts: Timestamp(0)
                }
            )
            .is_none()
        );
    }
}
