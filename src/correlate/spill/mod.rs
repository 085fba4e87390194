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
