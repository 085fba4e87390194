//! `media.parquet`: one row per RTP stream of the calls written, with the fields of the
//! `media` array of `calls --json`.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    ArrayBuilder, Float64Builder, Int32Builder, Int64Builder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_schema::{DataType, SchemaRef};

use super::writer::{Columns, int, micros, of, schema, text, time};
use crate::capture::Timestamp;
use crate::correlate::MediaStream;

/// The columns of `media.parquet`, in order.
pub(super) struct MediaColumns {
    call: Int64Builder,
    call_uid: StringBuilder,
    src: StringBuilder,
    dst: StringBuilder,
    ssrc: StringBuilder,
    kind: StringBuilder,
    payload_type: Int32Builder,
    codec: StringBuilder,
    packets: Int64Builder,
    bytes: Int64Builder,
    start: TimestampMicrosecondBuilder,
    duration_ms: Int64Builder,
    lost: Int64Builder,
    loss_percent: Float64Builder,
    jitter_ms: Float64Builder,
    max_delta_ms: Float64Builder,
    r_factor: Float64Builder,
    mos: Float64Builder,
    duplicates: Int64Builder,
}

impl MediaColumns {
    pub(super) fn new() -> Self {
        MediaColumns {
            call: Int64Builder::new(),
            call_uid: StringBuilder::new(),
            src: StringBuilder::new(),
            dst: StringBuilder::new(),
            ssrc: StringBuilder::new(),
            kind: StringBuilder::new(),
            payload_type: Int32Builder::new(),
            codec: StringBuilder::new(),
            packets: Int64Builder::new(),
            bytes: Int64Builder::new(),
            start: TimestampMicrosecondBuilder::new().with_timezone("UTC"),
            duration_ms: Int64Builder::new(),
            lost: Int64Builder::new(),
            loss_percent: Float64Builder::new(),
            jitter_ms: Float64Builder::new(),
            max_delta_ms: Float64Builder::new(),
            r_factor: Float64Builder::new(),
            mos: Float64Builder::new(),
            duplicates: Int64Builder::new(),
        }
    }

    pub(super) fn push(&mut self, s: &MediaStream, uid: Option<&str>) {
        self.call.append_option(s.call.map(int));
        self.call_uid.append_option(uid);
        self.src.append_value(&s.src);
        self.dst.append_value(&s.dst);
        self.ssrc.append_value(&s.ssrc);
        self.kind.append_option(s.kind.as_deref());
        self.payload_type.append_value(i32::from(s.payload_type));
        self.codec.append_option(s.codec.as_deref());
        self.packets.append_value(int(s.packets));
        self.bytes.append_value(int(s.bytes));
        // The stream's start is kept as text (RFC 3339), as `calls --json` prints it.
        self.start
            .append_option(Timestamp::parse_rfc3339(&s.start).map(micros));
        self.duration_ms.append_value(int(s.duration_ms));
        self.lost.append_value(int(s.lost));
        self.loss_percent.append_value(s.loss_percent);
        self.jitter_ms.append_value(s.jitter_ms);
        self.max_delta_ms.append_value(s.max_delta_ms);
        self.r_factor.append_value(s.r_factor);
        self.mos.append_option(s.mos);
        self.duplicates.append_value(int(s.duplicates));
    }
}

impl Columns for MediaColumns {
    fn schema() -> SchemaRef {
        let n = |name| of(name, DataType::Int64, false);
        let real = |name| of(name, DataType::Float64, false);
        schema(vec![
            of("call", DataType::Int64, true),
            text("call_uid", true),
            text("src", false),
            text("dst", false),
            text("ssrc", false),
            text("kind", true),
            of("payload_type", DataType::Int32, false),
            text("codec", true),
            n("packets"),
            n("bytes"),
            time("start", true),
            n("duration_ms"),
            n("lost"),
            real("loss_percent"),
            real("jitter_ms"),
            real("max_delta_ms"),
            real("r_factor"),
            of("mos", DataType::Float64, true),
            n("duplicates"),
        ])
    }

    fn rows(&self) -> usize {
        self.src.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.call.finish()),
            Arc::new(self.call_uid.finish()),
            Arc::new(self.src.finish()),
            Arc::new(self.dst.finish()),
            Arc::new(self.ssrc.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.payload_type.finish()),
            Arc::new(self.codec.finish()),
            Arc::new(self.packets.finish()),
            Arc::new(self.bytes.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.duration_ms.finish()),
            Arc::new(self.lost.finish()),
            Arc::new(self.loss_percent.finish()),
            Arc::new(self.jitter_ms.finish()),
            Arc::new(self.max_delta_ms.finish()),
            Arc::new(self.r_factor.finish()),
            Arc::new(self.mos.finish()),
            Arc::new(self.duplicates.finish()),
        ]
    }
}
