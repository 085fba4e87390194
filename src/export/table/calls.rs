//! `calls.parquet`: one row per call, registration or other exchange, with the fields of
//! `calls --json`.

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    ArrayBuilder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_schema::{DataType, SchemaRef};

use super::writer::{
    Columns, int, micros, of, push_texts, schema, text, texts, texts_builder, time,
};
use crate::correlate::CallSummary;

/// The columns of `calls.parquet`, in order.
pub(super) struct CallColumns {
    id: Int64Builder,
    call_uid: StringBuilder,
    kind: StringBuilder,
    call_id: StringBuilder,
    method: StringBuilder,
    from: StringBuilder,
    to: StringBuilder,
    state: StringBuilder,
    final_status: Int32Builder,
    messages: Int64Builder,
    retransmissions: Int64Builder,
    start: TimestampMicrosecondBuilder,
    end: TimestampMicrosecondBuilder,
    duration_ms: Int64Builder,
    setup_ms: Int64Builder,
    post_dial_delay_ms: Int64Builder,
    talk_ms: Int64Builder,
    hangup: StringBuilder,
    participants: ListBuilder<StringBuilder>,
    transports: ListBuilder<StringBuilder>,
    call_ids: ListBuilder<StringBuilder>,
    joined_by: ListBuilder<StringBuilder>,
    diagnosis: ListBuilder<StringBuilder>,
    duplicates: Int64Builder,
    icmp_errors: Int64Builder,
    aor: StringBuilder,
    expires: Int64Builder,
    challenges: Int64Builder,
    refreshes: Int64Builder,
    dialogs: Int64Builder,
    forks: Int64Builder,
    captures: ListBuilder<StringBuilder>,
}

fn utc() -> TimestampMicrosecondBuilder {
    TimestampMicrosecondBuilder::new().with_timezone("UTC")
}

impl CallColumns {
    pub(super) fn new() -> Self {
        CallColumns {
            id: Int64Builder::new(),
            call_uid: StringBuilder::new(),
            kind: StringBuilder::new(),
            call_id: StringBuilder::new(),
            method: StringBuilder::new(),
            from: StringBuilder::new(),
            to: StringBuilder::new(),
            state: StringBuilder::new(),
            final_status: Int32Builder::new(),
            messages: Int64Builder::new(),
            retransmissions: Int64Builder::new(),
            start: utc(),
            end: utc(),
            duration_ms: Int64Builder::new(),
            setup_ms: Int64Builder::new(),
            post_dial_delay_ms: Int64Builder::new(),
            talk_ms: Int64Builder::new(),
            hangup: StringBuilder::new(),
            participants: texts_builder(),
            transports: texts_builder(),
            call_ids: texts_builder(),
            joined_by: texts_builder(),
            diagnosis: texts_builder(),
            duplicates: Int64Builder::new(),
            icmp_errors: Int64Builder::new(),
            aor: StringBuilder::new(),
            expires: Int64Builder::new(),
            challenges: Int64Builder::new(),
            refreshes: Int64Builder::new(),
            dialogs: Int64Builder::new(),
            forks: Int64Builder::new(),
            captures: texts_builder(),
        }
    }

    pub(super) fn push(&mut self, c: &CallSummary, uid: &str, captures: &[String]) {
        self.id.append_value(int(c.id));
        self.call_uid.append_value(uid);
        self.kind.append_value(c.kind);
        self.call_id.append_value(&c.call_id);
        self.method.append_value(&c.method);
        self.from.append_value(&c.from);
        self.to.append_value(&c.to);
        self.state.append_value(c.state);
        self.final_status
            .append_option(c.final_status.map(i32::from));
        self.messages.append_value(int(c.messages));
        self.retransmissions.append_value(int(c.retransmissions));
        self.start.append_value(micros(c.start_ts));
        self.end.append_value(micros(c.end_ts));
        self.duration_ms.append_option(c.duration_ms.map(int));
        self.setup_ms.append_option(c.setup_ms.map(int));
        self.post_dial_delay_ms
            .append_option(c.post_dial_delay_ms.map(int));
        self.talk_ms.append_option(c.talk_ms.map(int));
        self.hangup.append_option(c.hangup);
        push_texts(&mut self.participants, &c.participants);
        push_texts(&mut self.transports, &c.transports);
        push_texts(&mut self.call_ids, &c.call_ids);
        push_texts(&mut self.joined_by, &c.joined_by);
        push_texts(
            &mut self.diagnosis,
            c.diagnosis.iter().flatten().map(|d| d.code),
        );
        self.duplicates.append_value(int(c.duplicates));
        self.icmp_errors.append_value(int(c.icmp_errors));
        self.aor.append_option(c.aor.as_deref());
        self.expires.append_option(c.expires.map(int));
        self.challenges.append_value(int(c.challenges));
        self.refreshes.append_option(c.refreshes.map(int));
        self.dialogs.append_value(int(c.dialogs));
        self.forks.append_option(c.forks.map(int));
        push_texts(&mut self.captures, captures);
    }
}

impl Columns for CallColumns {
    fn schema() -> SchemaRef {
        let n = |name| of(name, DataType::Int64, false);
        let maybe = |name| of(name, DataType::Int64, true);
        schema(vec![
            n("id"),
            text("call_uid", false),
            text("kind", false),
            text("call_id", false),
            text("method", false),
            text("from", false),
            text("to", false),
            text("state", false),
            of("final_status", DataType::Int32, true),
            n("messages"),
            n("retransmissions"),
            time("start", false),
            time("end_time", false),
            maybe("duration_ms"),
            maybe("setup_ms"),
            maybe("post_dial_delay_ms"),
            maybe("talk_ms"),
            text("hangup", true),
            texts("participants"),
            texts("transports"),
            texts("call_ids"),
            texts("joined_by"),
            texts("diagnosis"),
            n("duplicates"),
            n("icmp_errors"),
            text("aor", true),
            maybe("expires"),
            n("challenges"),
            maybe("refreshes"),
            n("dialogs"),
            maybe("forks"),
            texts("captures"),
        ])
    }

    fn rows(&self) -> usize {
        self.id.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        vec![
            Arc::new(self.id.finish()),
            Arc::new(self.call_uid.finish()),
            Arc::new(self.kind.finish()),
            Arc::new(self.call_id.finish()),
            Arc::new(self.method.finish()),
            Arc::new(self.from.finish()),
            Arc::new(self.to.finish()),
            Arc::new(self.state.finish()),
            Arc::new(self.final_status.finish()),
            Arc::new(self.messages.finish()),
            Arc::new(self.retransmissions.finish()),
            Arc::new(self.start.finish()),
            Arc::new(self.end.finish()),
            Arc::new(self.duration_ms.finish()),
            Arc::new(self.setup_ms.finish()),
            Arc::new(self.post_dial_delay_ms.finish()),
            Arc::new(self.talk_ms.finish()),
            Arc::new(self.hangup.finish()),
            Arc::new(self.participants.finish()),
            Arc::new(self.transports.finish()),
            Arc::new(self.call_ids.finish()),
            Arc::new(self.joined_by.finish()),
            Arc::new(self.diagnosis.finish()),
            Arc::new(self.duplicates.finish()),
            Arc::new(self.icmp_errors.finish()),
            Arc::new(self.aor.finish()),
            Arc::new(self.expires.finish()),
            Arc::new(self.challenges.finish()),
            Arc::new(self.refreshes.finish()),
            Arc::new(self.dialogs.finish()),
            Arc::new(self.forks.finish()),
            Arc::new(self.captures.finish()),
        ]
    }
}
