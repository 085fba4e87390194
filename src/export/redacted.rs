//! `export --redact`: the chosen calls' messages and media written as new frames from the
//! redacted events (the original frames hold what redaction hides): a frame per message at
//! the frame that completed it, a frame per RTP or RTCP packet, in capture order.

use std::collections::BTreeSet;
use std::io::{self, Write};

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use super::Writer;
use super::media::MediaFrames;
use crate::capture::{
    Decoder, Event, EventSink, Frame, MergedReader, RtpPacket, SipPayload, Timestamp,
};
use crate::redact::{FrameBuilder, RedactingSink, Redactor};
use crate::sip::framing;

/// Link type of rebuilt frames: Ethernet.
const ETHERNET: i32 = 1;

/// What to copy.
pub(super) struct Copy<'a> {
    /// Frames that completed a message of the chosen calls (others may share them).
    pub(super) frames: &'a BTreeSet<u64>,
    /// The chosen calls' Call-IDs (as redacted).
    pub(super) call_ids: HashSet<&'a str>,
    /// The comment of each call's first frame (pcapng).
    pub(super) comments: &'a HashMap<u64, String>,
    /// The chosen calls' media, with `--with-rtp`.
    pub(super) media: Option<&'a mut MediaFrames>,
}

impl Copy<'_> {
    /// Reads `merged` from where it stands to the last frame wanted (or the end of the media),
    /// writing the rebuilt frames.
    pub(super) fn run<W: Write>(
        self,
        merged: &mut MergedReader,
        writer: &mut Writer<W>,
        redactor: &mut Redactor,
    ) -> io::Result<()> {
        let frames = self.frames;
        let last = frames.last().copied();
        let window = self.media.as_ref().map(|m| (m.since, m.until));
        let in_window =
            |ts: Timestamp| window.is_some_and(|(since, until)| since <= ts && ts <= until);
        let mut decoder = Decoder::with_rtcp().with_tls_keys(merged.tls_keys());
        let mut copier = Copier {
            copy: self,
            builder: FrameBuilder::default(),
            writer,
            error: None,
        };
        while let Some(frame) = merged.next_frame() {
            if super::past_end(&frame, last, window.map(|(_, until)| until)) {
                break;
            }
            let mut sink = RedactingSink::new(&mut copier, redactor);
            // Only what may be written is redacted: other calls' messages go by untouched.
            decoder.decode(&frame, &mut |event| {
                let wanted = match &event {
                    Event::Sip(p) => frames.contains(&p.frame),
                    Event::Rtp(p) => in_window(p.ts),
                    Event::Rtcp(p, _) => in_window(p.ts),
                    Event::IcmpError(_) | Event::Warning(_) => false,
                };
                if wanted {
                    sink.event(event);
                }
            });
            if let Some(error) = copier.error.take() {
                return Err(error);
            }
        }
        Ok(())
    }
}

/// Receives the redacted events and writes those of the chosen calls.
struct Copier<'a, 'w, W: Write> {
    copy: Copy<'a>,
    builder: FrameBuilder,
    writer: &'w mut Writer<W>,
    /// The first write that failed.
    error: Option<io::Error>,
}

impl<W: Write> Copier<'_, '_, W> {
    fn write(&mut self, number: u64, ts: Timestamp, data: Option<Vec<u8>>) {
        let Some(data) = data else {
            return;
        };
        let frame = Frame {
            number,
            ts,
            linktype: ETHERNET,
            orig_len: u32::try_from(data.len()).unwrap_or(u32::MAX),
            data: &data,
        };
        let comment = self.copy.comments.get(&number).map(String::as_str);
        if let Err(error) = self.writer.write(&frame, comment) {
            self.error.get_or_insert(error);
        }
    }

    fn sip(&mut self, payload: &SipPayload<'_>) {
        let call_id = framing::find_header(payload.bytes, b"call-id", Some(b"i"))
            .and_then(|v| std::str::from_utf8(v).ok())
            .map(str::trim);
        if call_id.is_some_and(|id| self.copy.call_ids.contains(id)) {
            let data = self.builder.sip(payload);
            self.write(payload.frame, payload.ts, data);
        }
    }
}

impl<W: Write> EventSink for Copier<'_, '_, W> {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(payload) => self.sip(&payload),
            Event::Rtp(packet) => self.rtp(&packet),
            Event::Rtcp(packet, bytes) => {
                if self
                    .copy
                    .media
                    .as_mut()
                    .is_some_and(|m| m.keeps_rtcp(&packet))
                {
                    let data = self.builder.rtcp(&packet, bytes);
                    self.write(packet.frame, packet.ts, data);
                }
            }
            Event::IcmpError(_) | Event::Warning(_) => {}
        }
    }

    fn rtp(&mut self, packet: &RtpPacket) {
        if self
            .copy
            .media
            .as_mut()
            .is_some_and(|m| m.keeps_rtp(packet))
        {
            let data = self.builder.rtp(packet);
            self.write(packet.frame, packet.ts, data);
        }
    }
}
