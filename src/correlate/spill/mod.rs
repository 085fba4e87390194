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
mod streams;
mod summary;

pub use calls::{CallSpill, Calls, SPILL_AFTER, number};
pub use codec::Damaged;
pub use streams::{StreamOrder, Streams};

#[cfg(test)]
mod tests;
