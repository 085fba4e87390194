//! The read loop: every frame of the merged inputs through the decoder, every event to a sink.

use super::decode::{DecodeCounters, Decoder, Event};
use super::merge::MergedReader;
use super::time::Timestamp;

/// What the read loop tells its caller at the end.
#[derive(Clone, Debug)]
pub struct ReadSummary {
    /// Per-layer counts.
    pub counters: DecodeCounters,
    /// Some input was cut or damaged.
    pub damaged: bool,
}

/// Receives what the read loop finds.
pub trait EventSink {
    /// Called once per frame read, before its events.
    fn frame(&mut self, _ts: Timestamp) {}
    /// Called for each decoded event (file warnings included).
    fn event(&mut self, event: Event<'_>);
}

/// Reads every frame of the inputs and hands each frame and event to `sink`.
pub fn read_all(inputs: &mut MergedReader, sink: &mut dyn EventSink) -> ReadSummary {
    let mut decoder = Decoder::default();
    loop {
        for warning in inputs.take_warnings() {
            sink.event(Event::Warning(warning));
        }
        let Some(frame) = inputs.next_frame() else {
            break;
        };
        sink.frame(frame.ts);
        decoder.decode(&frame, &mut |e| sink.event(e));
    }
    decoder.finish(&mut |e| sink.event(e));
    for warning in inputs.take_warnings() {
        sink.event(Event::Warning(warning));
    }
    ReadSummary {
        counters: decoder.counters(),
        damaged: inputs.damaged(),
    }
}
