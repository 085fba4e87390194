//! A sink in front of another: every event redacted before the other sees it.

use crate::capture::{
    Event, EventSink, IcmpQuote, OuterLayer, Prepare, RtpPacket, SipPayload, Timestamp, Warning,
    WarningKind,
};
use crate::sip::framing;

use super::Redactor;

/// Redacts the events of a reading before handing them to `inner`.
pub struct RedactingSink<'a> {
    inner: &'a mut dyn EventSink,
    redactor: &'a mut Redactor,
}

impl<'a> RedactingSink<'a> {
    /// Redacts what `inner` receives with `redactor`'s stand-ins.
    pub fn new(inner: &'a mut dyn EventSink, redactor: &'a mut Redactor) -> RedactingSink<'a> {
        RedactingSink { inner, redactor }
    }

    fn sip(&mut self, payload: &SipPayload<'_>) {
        let bytes = self.redactor.message(payload.bytes);
        let outer: Vec<OuterLayer> = payload
            .outer
            .iter()
            .map(|o| self.redactor.outer(o))
            .collect();
        let Some(framed) = framing::frame_datagram(&bytes) else {
            // Redaction keeps the start line; should it not frame, the message is left out
            // rather than shown unredacted.
            self.inner.event(Event::Warning(Warning {
                frame: Some(payload.frame),
                kind: WarningKind::DamagedPacket {
                    detail: "a SIP message could not be redacted and was left out".into(),
                },
            }));
            return;
        };
        let redacted = SipPayload {
            src: self.redactor.socket(payload.src),
            dst: self.redactor.socket(payload.dst),
            bytes: bytes.get(..framed.len).unwrap_or(&bytes),
            framed,
            outer: &outer,
            ..*payload
        };
        self.inner.event(Event::Sip(redacted));
    }

    fn icmp(&mut self, quote: &IcmpQuote<'_>) {
        let bytes = self.redactor.message(quote.bytes);
        let Some((start, _)) = framing::start_line(&bytes) else {
            return;
        };
        let redacted = IcmpQuote {
            reporter: self.redactor.ip(quote.reporter),
            src: self.redactor.socket(quote.src),
            dst: self.redactor.socket(quote.dst),
            start,
            bytes: &bytes,
            ..*quote
        };
        self.inner.event(Event::IcmpError(redacted));
    }

    fn redact_rtp(&mut self, packet: &RtpPacket) -> RtpPacket {
        RtpPacket {
            src: self.redactor.socket(packet.src),
            dst: self.redactor.socket(packet.dst),
            ..*packet
        }
    }
}

impl EventSink for RedactingSink<'_> {
    fn frame(&mut self, ts: Timestamp) {
        self.inner.frame(ts);
    }

    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(payload) => self.sip(&payload),
            Event::IcmpError(quote) => self.icmp(&quote),
            Event::Rtp(packet) => {
                let packet = self.redact_rtp(&packet);
                self.inner.rtp(&packet);
            }
            Event::Rtcp(mut packet, bytes) => {
                packet.src = self.redactor.socket(packet.src);
                packet.dst = self.redactor.socket(packet.dst);
                let bytes = self.redactor.rtcp(bytes);
                self.inner.event(Event::Rtcp(packet, &bytes));
            }
            Event::Warning(w) => {
                let w = self.redactor.warning(w);
                self.inner.event(Event::Warning(w));
            }
        }
    }

    fn rtp(&mut self, packet: &RtpPacket) {
        let packet = self.redact_rtp(packet);
        self.inner.rtp(&packet);
    }

    fn progress(&mut self, bytes: u64) {
        self.inner.progress(bytes);
    }

    /// Nothing is prepared ahead: the work must be done on the redacted message.
    fn preparer(&self) -> Option<Prepare> {
        None
    }
}
