//! Several captures read as one, frame by frame in time order (ties keep file order), so
//! captures taken on two hosts of the same exchange make one ladder.

use std::ops::RangeInclusive;

use super::decode::Frame;
use super::reader::{CaptureReader, RawFrame};
use super::time::Timestamp;
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
            windows: None,
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
                Wanted::Yes => break i,
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
