/*!
The spill: calls summed up as they end, written to an anonymous temporary file instead of
being held, and read back one by one in number order once the capture is over. A listing of a
long capture (tens of thousands of calls, each a few hundred bytes of text and lists) then
holds only a small index per call, so memory stays flat however long the capture; small
captures never touch the disk ([`crate::correlate::Options::spill_after`]). The media streams
that are over go the same way, with what orders them.
*/

mod calls;
mod codec;
pub mod records;
mod streams;
mod summary;
mod waiting;

pub use calls::{CallSpill, Calls, RootNumbers, SPILL_AFTER, number};
pub use codec::Damaged;
pub use streams::{StreamOrder, Streams};
pub use waiting::Waiting;

#[cfg(test)]
mod tests;

/// Where a record lies in a temporary file (`offset`, `len`) or, when `len` is [`HELD`],
/// which of the records held in memory it is (`offset`): one is kept per call or stream of the
/// capture, so it is small.
#[derive(Clone, Copy, Debug)]
struct Place {
    offset: u64,
    len: u32,
}

/// The length that marks a held record's [`Place`].
const HELD: u32 = u32::MAX;

impl Place {
    /// A record of `len` bytes written at `offset`: an error beyond 4 GiB (the length would
    /// not fit, or would read as [`HELD`]).
    fn written(offset: u64, len: usize) -> std::io::Result<Place> {
        let len = u32::try_from(len)
            .ok()
            .filter(|&len| len != HELD)
            .ok_or_else(|| std::io::Error::other("a record of the spill is over 4 GiB"))?;
        Ok(Place { offset, len })
    }

    /// The `index`th record held in memory.
    fn held(index: usize) -> Place {
        Place {
            offset: index as u64,
            len: HELD,
        }
    }

    /// Whether the record is held in memory (its index is `offset`).
    fn is_held(self) -> bool {
        self.len == HELD
    }
}

/// The read buffer of the spill: small, because records are read back in an order near, but
/// not the same as, the order they were written in (the streams of one call at a time, for
/// its diagnosis), and each jump out of the buffer reads it whole again.
const READ_BUFFER: usize = 4096;

/// Moves `reader` from `at` to `offset`, keeping its buffer when `offset` lies in it: calls
/// are read back in number order, near but not in the order they were written, and a plain
/// seek would read a whole buffer again for every call.
fn seek_to(
    reader: &mut std::io::BufReader<std::fs::File>,
    at: u64,
    offset: u64,
) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    match i64::try_from(offset).ok().zip(i64::try_from(at).ok()) {
        Some((to, from)) => reader.seek_relative(to - from),
        None => reader.seek(SeekFrom::Start(offset)).map(|_| ()),
    }
}
