//! `messages.parquet`: one row per SIP message of the calls written, in the order and with
//! the fields of `export --jsonl` (the start line, From and To flattened into columns).

use std::sync::Arc;

use arrow_array::ArrayRef;
use arrow_array::builder::{
    ArrayBuilder, BooleanBuilder, Int32Builder, Int64Builder, ListBuilder, StringBuilder,
    TimestampMicrosecondBuilder,
};
use arrow_schema::{DataType, SchemaRef};

use super::writer::{
    Columns, int, micros, of, push_texts, schema, text, texts, texts_builder, time,
};
use crate::correlate::record::MediaOffer;
use crate::correlate::{MessageRecord, Party, Start};

/// The four columns of a From or To.
struct PartyColumns {
    uri: StringBuilder,
    user: StringBuilder,
    display: StringBuilder,
    tag: StringBuilder,
}

impl PartyColumns {
    fn new() -> Self {
        PartyColumns {
            uri: StringBuilder::new(),
            user: StringBuilder::new(),
            display: StringBuilder::new(),
            tag: StringBuilder::new(),
        }
    }

    fn push(&mut self, p: &Party) {
        self.uri.append_value(&p.uri);
        self.user.append_option(p.user.as_deref());
        self.display.append_option(p.display.as_deref());
        self.tag.append_option(p.tag.as_deref());
    }

    fn finish(&mut self, out: &mut Vec<ArrayRef>) {
        out.push(Arc::new(self.uri.finish()));
        out.push(Arc::new(self.user.finish()));
        out.push(Arc::new(self.display.finish()));
        out.push(Arc::new(self.tag.finish()));
    }
}

/// The columns of `messages.parquet`, in order.
pub(super) struct MessageColumns {
    call: Int64Builder,
    call_uid: StringBuilder,
    index: Int64Builder,
    frame: Int64Builder,
    first_frame: Int64Builder,
    ts: TimestampMicrosecondBuilder,
    src: StringBuilder,
    dst: StringBuilder,
    transport: StringBuilder,
    outer: ListBuilder<StringBuilder>,
    start_type: StringBuilder,
    method: StringBuilder,
    uri: StringBuilder,
    code: Int32Builder,
    reason: StringBuilder,
    call_id: StringBuilder,
    cseq: Int64Builder,
    cseq_method: StringBuilder,
    from: PartyColumns,
    to: PartyColumns,
    branch: StringBuilder,
    sent_by: StringBuilder,
    vias: Int64Builder,
    agent: StringBuilder,
    media: ListBuilder<StringBuilder>,
    has_sdp: BooleanBuilder,
    expires: Int64Builder,
    has_credentials: BooleanBuilder,
    realm: StringBuilder,
    asserted_user: StringBuilder,
    linked_call_ids: ListBuilder<StringBuilder>,
    retry_after: Int64Builder,
    subscription_state: StringBuilder,
    len: Int64Builder,
    diagnostics: Int64Builder,
    retransmission: BooleanBuilder,
    duplicate: BooleanBuilder,
    exchange: Int64Builder,
    transaction: Int64Builder,
    icmp: StringBuilder,
}

/// A media line of an SDP body in one text: `audio 192.0.2.10:4000 sendrecv PCMA/8000 ...`.
fn offer_text(o: &MediaOffer) -> String {
    let mut text = match o.address {
        Some(ip) => format!(
            "{} {} {}",
            o.kind,
            std::net::SocketAddr::new(ip, o.port),
            o.direction
        ),
        None => format!("{} :{} {}", o.kind, o.port, o.direction),
    };
    for c in &o.codecs {
        text.push_str(&format!(" {}/{}", c.name, c.clock_rate));
    }
    text
}

impl MessageColumns {
    pub(super) fn new() -> Self {
        MessageColumns {
            call: Int64Builder::new(),
            call_uid: StringBuilder::new(),
            index: Int64Builder::new(),
            frame: Int64Builder::new(),
            first_frame: Int64Builder::new(),
            ts: TimestampMicrosecondBuilder::new().with_timezone("UTC"),
            src: StringBuilder::new(),
            dst: StringBuilder::new(),
            transport: StringBuilder::new(),
            outer: texts_builder(),
            start_type: StringBuilder::new(),
            method: StringBuilder::new(),
            uri: StringBuilder::new(),
            code: Int32Builder::new(),
            reason: StringBuilder::new(),
            call_id: StringBuilder::new(),
            cseq: Int64Builder::new(),
            cseq_method: StringBuilder::new(),
            from: PartyColumns::new(),
            to: PartyColumns::new(),
            branch: StringBuilder::new(),
            sent_by: StringBuilder::new(),
            vias: Int64Builder::new(),
            agent: StringBuilder::new(),
            media: texts_builder(),
            has_sdp: BooleanBuilder::new(),
            expires: Int64Builder::new(),
            has_credentials: BooleanBuilder::new(),
            realm: StringBuilder::new(),
            asserted_user: StringBuilder::new(),
            linked_call_ids: texts_builder(),
            retry_after: Int64Builder::new(),
            subscription_state: StringBuilder::new(),
            len: Int64Builder::new(),
            diagnostics: Int64Builder::new(),
            retransmission: BooleanBuilder::new(),
            duplicate: BooleanBuilder::new(),
            exchange: Int64Builder::new(),
            transaction: Int64Builder::new(),
            icmp: StringBuilder::new(),
        }
    }

    pub(super) fn push(&mut self, call: usize, uid: &str, m: &MessageRecord) {
        self.call.append_value(int(call));
        self.call_uid.append_value(uid);
        self.index.append_value(int(m.index));
        self.frame.append_value(int(m.frame));
        self.first_frame.append_value(int(m.first_frame));
        self.ts.append_value(micros(m.ts));
        self.src.append_value(m.src.to_string());
        self.dst.append_value(m.dst.to_string());
        self.transport.append_value(m.transport.as_str());
        push_texts(&mut self.outer, m.outer.iter().map(ToString::to_string));
        match &m.start {
            Start::Request { method, uri } => {
                self.start_type.append_value("request");
                self.method.append_value(method);
                self.uri.append_value(uri);
                self.code.append_null();
                self.reason.append_null();
            }
            Start::Response { code, reason } => {
                self.start_type.append_value("response");
                self.method.append_null();
                self.uri.append_null();
                self.code.append_value(i32::from(*code));
                self.reason.append_value(reason);
            }
        }
        self.call_id.append_value(&m.call_id);
        self.cseq.append_option(m.cseq.map(i64::from));
        self.cseq_method.append_value(&m.cseq_method);
        self.from.push(&m.from);
        self.to.push(&m.to);
        self.branch.append_option(m.branch.as_deref());
        self.sent_by.append_value(&m.sent_by);
        self.vias.append_value(int(m.vias));
        self.agent.append_option(m.agent.as_deref());
        push_texts(&mut self.media, m.media.iter().map(offer_text));
        self.has_sdp.append_value(m.has_sdp);
        self.expires.append_option(m.expires.map(i64::from));
        self.has_credentials.append_value(m.has_credentials);
        self.realm
            .append_option(m.digest.as_ref().map(|d| d.realm.as_str()));
        self.asserted_user.append_option(m.asserted_user.as_deref());
        push_texts(&mut self.linked_call_ids, &m.linked_call_ids);
        self.retry_after.append_option(m.retry_after.map(i64::from));
        self.subscription_state
            .append_option(m.subscription_state.as_deref());
        self.len.append_value(int(m.len));
        self.diagnostics.append_value(int(m.diagnostics));
        self.retransmission.append_value(m.retransmission);
        self.duplicate.append_value(m.duplicate);
        self.exchange.append_value(int(m.exchange));
        self.transaction.append_value(int(m.transaction));
        self.icmp.append_option(m.icmp.as_deref());
    }
}

impl Columns for MessageColumns {
    fn schema() -> SchemaRef {
        let n = |name| of(name, DataType::Int64, false);
        let maybe = |name| of(name, DataType::Int64, true);
        let flag = |name| of(name, DataType::Boolean, false);
        let party = |side: &str| {
            [
                text(&format!("{side}_uri"), false),
                text(&format!("{side}_user"), true),
                text(&format!("{side}_display"), true),
                text(&format!("{side}_tag"), true),
            ]
        };
        let mut fields = vec![
            n("call"),
            text("call_uid", false),
            n("index"),
            n("frame"),
            n("first_frame"),
            time("ts", false),
            text("src", false),
            text("dst", false),
            text("transport", false),
            texts("outer"),
            text("type", false),
            text("method", true),
            text("uri", true),
            of("code", DataType::Int32, true),
            text("reason", true),
            text("call_id", false),
            maybe("cseq"),
            text("cseq_method", false),
        ];
        fields.extend(party("from"));
        fields.extend(party("to"));
        fields.extend([
            text("branch", true),
            text("sent_by", false),
            n("vias"),
            text("agent", true),
            texts("media"),
            flag("has_sdp"),
            maybe("expires"),
            flag("has_credentials"),
            text("realm", true),
            text("asserted_user", true),
            texts("linked_call_ids"),
            maybe("retry_after"),
            text("subscription_state", true),
            n("len"),
            n("diagnostics"),
            flag("retransmission"),
            flag("duplicate"),
            n("exchange"),
            n("transaction"),
            text("icmp", true),
        ]);
        schema(fields)
    }

    fn rows(&self) -> usize {
        self.call.len()
    }

    fn finish(&mut self) -> Vec<ArrayRef> {
        let mut out: Vec<ArrayRef> = vec![
            Arc::new(self.call.finish()),
            Arc::new(self.call_uid.finish()),
            Arc::new(self.index.finish()),
            Arc::new(self.frame.finish()),
            Arc::new(self.first_frame.finish()),
            Arc::new(self.ts.finish()),
            Arc::new(self.src.finish()),
            Arc::new(self.dst.finish()),
            Arc::new(self.transport.finish()),
            Arc::new(self.outer.finish()),
            Arc::new(self.start_type.finish()),
            Arc::new(self.method.finish()),
            Arc::new(self.uri.finish()),
            Arc::new(self.code.finish()),
            Arc::new(self.reason.finish()),
            Arc::new(self.call_id.finish()),
            Arc::new(self.cseq.finish()),
            Arc::new(self.cseq_method.finish()),
        ];
        self.from.finish(&mut out);
        self.to.finish(&mut out);
        out.extend([
            Arc::new(self.branch.finish()) as ArrayRef,
            Arc::new(self.sent_by.finish()),
            Arc::new(self.vias.finish()),
            Arc::new(self.agent.finish()),
            Arc::new(self.media.finish()),
            Arc::new(self.has_sdp.finish()),
            Arc::new(self.expires.finish()),
            Arc::new(self.has_credentials.finish()),
            Arc::new(self.realm.finish()),
            Arc::new(self.asserted_user.finish()),
            Arc::new(self.linked_call_ids.finish()),
            Arc::new(self.retry_after.finish()),
            Arc::new(self.subscription_state.finish()),
            Arc::new(self.len.finish()),
            Arc::new(self.diagnostics.finish()),
            Arc::new(self.retransmission.finish()),
            Arc::new(self.duplicate.finish()),
            Arc::new(self.exchange.finish()),
            Arc::new(self.transaction.finish()),
            Arc::new(self.icmp.finish()),
        ]);
        out
    }
}
