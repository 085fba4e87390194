//! Several captures read as one, frame by frame in time order (ties keep file order), so
//! captures taken on two hosts of the same exchange make one ladder.

use super::decode::Frame;
use super::reader::{CaptureReader, RawFrame};
use super::warning::{Warning, WarningKind};

struct Source {
    reader: CaptureReader,
    pending: Option<RawFrame>,
}

/// Reads any number of captures as a single time-ordered stream of frames.
pub struct MergedReader {
    sources: Vec<Source>,
    /// The source whose frame was handed out last and must be refilled.
    last: Option<usize>,
    number: u64,
    warnings: Vec<Warning>,
    damaged: bool,
}

impl MergedReader {
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

    /// The next frame in time order, or `None` when every input is exhausted.
    pub fn next_frame(&mut self) -> Option<Frame<'_>> {
        if let Some(i) = self.last.take() {
            self.refill(i);
        }
        let i = self
            .sources
            .iter()
            .enumerate()
            .filter_map(|(i, s)| s.pending.map(|f| (f.ts, i)))
            .min()?
            .1;
        self.last = Some(i);
        self.number += 1;
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
