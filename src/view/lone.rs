//! Messages no call holds (without a Call-ID, RFC 3261 §8.1.1.4), explained alone:
//! `explain --frame N` shows such a message as it would any other, without a call's context.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::capture::{Event, EventSink, Timestamp, Transport};
use crate::explain::{Context, Explanation, Lang, explain};
use crate::reading::{self, ReadError};
use crate::sip::Message;

/// A SIP message read alone, with where it travelled.
#[derive(Clone, Debug)]
pub struct LoneMessage {
    /// The frame that completed it.
    pub frame: u64,
    /// Capture time.
    pub ts: Timestamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Transport.
    pub transport: Transport,
    /// Its bytes.
    pub raw: Vec<u8>,
}

impl LoneMessage {
    /// What it says, header by header, in `lang`; `None` when it does not parse as SIP.
    pub fn explain(&self, lang: Lang) -> Option<Explanation> {
        let message = Message::parse(&self.raw).ok()?;
        let ctx = Context {
            source: Some(self.src),
            destination: Some(self.dst),
            ..Context::default()
        };
        Some(explain(&message, &ctx, lang))
    }
}

/// Collects the SIP messages completed by one frame.
struct OfFrame {
    frame: u64,
    found: Vec<LoneMessage>,
}

impl EventSink for OfFrame {
    fn event(&mut self, event: Event<'_>) {
        if let Event::Sip(p) = event {
            if p.frame == self.frame {
                self.found.push(LoneMessage {
                    frame: p.frame,
                    ts: p.ts,
                    src: p.src,
                    dst: p.dst,
                    transport: p.transport,
                    raw: p.bytes.to_vec(),
                });
            }
        }
    }
}

/// The SIP messages completed by frame `frame` of the inputs (read whole: a message over TCP
/// needs the segments before it), redacted when the reading redacts.
pub fn messages_of_frame(captures: &[PathBuf], frame: u64) -> Result<Vec<LoneMessage>, ReadError> {
    let mut merged = reading::open(captures)?;
    let mut sink = OfFrame {
        frame,
        found: Vec::new(),
    };
    reading::read_into(&mut merged, &mut sink, None);
    Ok(sink.found)
}
