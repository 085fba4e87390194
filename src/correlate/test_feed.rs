//! Feeding a correlator SIP messages written by hand, for the tests of correlation's rules.

use std::net::SocketAddr;

use crate::capture::{Event, EventSink, RtpPacket, SipPayload, Timestamp, Transport};
use crate::correlate::{Correlation, Correlator, Options};
use crate::sip::framing;

/// A correlator and the frame numbers it has seen.
pub(crate) struct Feed {
    c: Correlator,
    frame: u64,
}

impl Feed {
    /// A correlator with the default options.
    pub(crate) fn new() -> Feed {
        Feed::with(Options::default())
    }

    /// A correlator with these options.
    pub(crate) fn with(options: Options) -> Feed {
        Feed {
            c: Correlator::new(options),
            frame: 0,
        }
    }

    /// The correlator, to look at what it holds.
    pub(crate) fn correlator(&self) -> &Correlator {
        &self.c
    }

    /// One RTP packet (its frame number is the next one).
    pub(crate) fn rtp(&mut self, packet: RtpPacket) {
        self.frame += 1;
        self.c.frame(packet.ts);
        self.c.event(Event::Rtp(RtpPacket {
            frame: self.frame,
            ..packet
        }));
    }

    /// One UDP datagram carrying `bytes` from `src` to `dst`, `at_ms` into the capture.
    pub(crate) fn send(&mut self, bytes: &[u8], src: SocketAddr, dst: SocketAddr, at_ms: i64) {
        let ts = Timestamp(at_ms * 1_000_000);
        self.frame += 1;
        self.c.frame(ts);
        let Some(framed) = framing::frame_datagram(bytes) else {
            panic!("not a SIP message: {}", String::from_utf8_lossy(bytes));
        };
        self.c.event(Event::Sip(SipPayload {
            frame: self.frame,
            first_frame: self.frame,
            ts,
            src,
            dst,
            transport: Transport::Udp,
            bytes,
            framed,
            outer: &[],
        }));
    }

    /// Ends the capture.
    pub(crate) fn finish(self) -> Correlation {
        self.c.finish()
    }
}

/// The address 192.0.2.`last`:5060.
pub(crate) fn addr(last: u8) -> SocketAddr {
    ([192, 0, 2, last], 5060).into()
}
