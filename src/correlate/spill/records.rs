//! How the records of a call's messages go with it to the spill
//! ([`crate::correlate::Options::message_records`]): encoded when the call is over, a few dozen
//! bytes a message instead of the record's few hundred, and decoded when the call is handed
//! out, for `export --jsonl` and the messages table of `export --parquet`.
//!
//! Records are encoded before their call knows whether it will be held or spilled, so they name
//! no static text through the spill's table: the few such names they hold (SDP directions,
//! transports, encapsulations) are numbered by fixed tables here.

use super::codec::{Damaged, Decoder, Encoder, Names, Spilled};
use crate::capture::{EncapKind, OuterLayer, Transport};
use crate::correlate::record::{Codec, DigestKey, MediaOffer};
use crate::correlate::{MessageRecord, Party, Start};

/// Appends the records of `records` to `out`.
pub fn encode<'a>(records: impl IntoIterator<Item = &'a MessageRecord>, out: &mut Vec<u8>) {
    let mut names = Names::default();
    let mut e = Encoder::new(out, &mut names);
    for record in records {
        record.put(&mut e);
    }
}

/// One record, encoded (a record waiting in memory when its file cannot be written).
pub fn encode_one(record: &MessageRecord) -> Box<[u8]> {
    let mut out = Vec::with_capacity(256);
    encode(std::iter::once(record), &mut out);
    out.into_boxed_slice()
}

/// The records [`encode`] wrote in `bytes`, in order.
pub fn decode(bytes: &[u8]) -> Result<Vec<MessageRecord>, Damaged> {
    let names = Names::default();
    let mut d = Decoder::new(bytes, &names);
    let mut records = Vec::new();
    while !d.is_done() {
        records.push(MessageRecord::take(&mut d)?);
    }
    Ok(records)
}

/// A value of a fixed table, put as its position.
fn put_listed<T: PartialEq + Copy>(table: &[T], value: T, e: &mut Encoder<'_>) {
    let n = table.iter().position(|&v| v == value).unwrap_or(0);
    n.put(e);
}

/// A value [`put_listed`] wrote.
fn take_listed<T: Copy>(table: &[T], d: &mut Decoder<'_>) -> Result<T, Damaged> {
    let n = usize::take(d)?;
    table.get(n).copied().ok_or(d.damaged())
}

const TRANSPORTS: [Transport; 6] = [
    Transport::Udp,
    Transport::Tcp,
    Transport::Sctp,
    Transport::Ws,
    Transport::Tls,
    Transport::Wss,
];

const ENCAPSULATIONS: [EncapKind; 9] = [
    EncapKind::IpInIp,
    EncapKind::Gre,
    EncapKind::Erspan,
    EncapKind::Pppoe,
    EncapKind::Pptp,
    EncapKind::Mpls,
    EncapKind::Vxlan,
    EncapKind::GtpU,
    EncapKind::Hep,
];

/// The directions an SDP media line can give ([`MediaOffer::direction`]).
const DIRECTIONS: [&str; 4] = ["sendrecv", "sendonly", "recvonly", "inactive"];

impl Spilled for Transport {
    fn put(&self, e: &mut Encoder<'_>) {
        put_listed(&TRANSPORTS, *self, e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        take_listed(&TRANSPORTS, d)
    }
}

impl Spilled for OuterLayer {
    fn put(&self, e: &mut Encoder<'_>) {
        let OuterLayer { kind, src, dst, id } = self;
        put_listed(&ENCAPSULATIONS, *kind, e);
        src.put(e);
        dst.put(e);
        id.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(OuterLayer {
            kind: take_listed(&ENCAPSULATIONS, d)?,
            src: Spilled::take(d)?,
            dst: Spilled::take(d)?,
            id: Spilled::take(d)?,
        })
    }
}

impl Spilled for Start {
    fn put(&self, e: &mut Encoder<'_>) {
        match self {
            Start::Request { method, uri } => {
                0u8.put(e);
                method.put(e);
                uri.put(e);
            }
            Start::Response { code, reason } => {
                1u8.put(e);
                code.put(e);
                reason.put(e);
            }
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        match u8::take(d)? {
            0 => Ok(Start::Request {
                method: Spilled::take(d)?,
                uri: Spilled::take(d)?,
            }),
            1 => Ok(Start::Response {
                code: Spilled::take(d)?,
                reason: Spilled::take(d)?,
            }),
            _ => Err(d.damaged()),
        }
    }
}

impl Spilled for Party {
    fn put(&self, e: &mut Encoder<'_>) {
        let Party {
            uri,
            user,
            display,
            tag,
        } = self;
        uri.put(e);
        user.put(e);
        display.put(e);
        tag.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Party {
            uri: Spilled::take(d)?,
            user: Spilled::take(d)?,
            display: Spilled::take(d)?,
            tag: Spilled::take(d)?,
        })
    }
}

impl Spilled for Codec {
    fn put(&self, e: &mut Encoder<'_>) {
        let Codec {
            payload_type,
            name,
            clock_rate,
        } = self;
        payload_type.put(e);
        name.put(e);
        clock_rate.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Codec {
            payload_type: Spilled::take(d)?,
            name: Spilled::take(d)?,
            clock_rate: Spilled::take(d)?,
        })
    }
}

impl Spilled for MediaOffer {
    fn put(&self, e: &mut Encoder<'_>) {
        let MediaOffer {
            kind,
            address,
            port,
            codecs,
            direction,
        } = self;
        kind.put(e);
        address.put(e);
        port.put(e);
        codecs.put(e);
        put_listed(&DIRECTIONS, *direction, e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(MediaOffer {
            kind: Spilled::take(d)?,
            address: Spilled::take(d)?,
            port: Spilled::take(d)?,
            codecs: Spilled::take(d)?,
            direction: take_listed(&DIRECTIONS, d)?,
        })
    }
}

impl Spilled for DigestKey {
    fn put(&self, e: &mut Encoder<'_>) {
        let DigestKey { realm, nonce } = self;
        realm.put(e);
        nonce.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(DigestKey {
            realm: Spilled::take(d)?,
            nonce: Spilled::take(d)?,
        })
    }
}

impl Spilled for MessageRecord {
    fn put(&self, e: &mut Encoder<'_>) {
        let MessageRecord {
            index,
            frame,
            first_frame,
            ts,
            src,
            dst,
            transport,
            outer,
            start,
            call_id,
            cseq,
            cseq_method,
            from,
            to,
            branch,
            sent_by,
            vias,
            agent,
            media,
            has_sdp,
            expires,
            has_credentials,
            digest,
            asserted_user,
            linked_call_ids,
            retry_after,
            subscription_state,
            len,
            diagnostics,
            retransmission,
            duplicate,
            copy_key,
            exchange,
            transaction,
            icmp,
            raw,
        } = self;
        index.put(e);
        frame.put(e);
        first_frame.put(e);
        ts.put(e);
        src.put(e);
        dst.put(e);
        transport.put(e);
        outer.put(e);
        start.put(e);
        call_id.put(e);
        cseq.put(e);
        cseq_method.put(e);
        from.put(e);
        to.put(e);
        branch.put(e);
        sent_by.put(e);
        vias.put(e);
        agent.put(e);
        media.put(e);
        has_sdp.put(e);
        expires.put(e);
        has_credentials.put(e);
        digest.is_some().put(e);
        if let Some(digest) = digest {
            digest.put(e);
        }
        asserted_user.put(e);
        linked_call_ids.put(e);
        retry_after.put(e);
        subscription_state.put(e);
        len.put(e);
        diagnostics.put(e);
        retransmission.put(e);
        duplicate.put(e);
        copy_key.put(e);
        exchange.put(e);
        transaction.put(e);
        icmp.put(e);
        raw.is_some().put(e);
        if let Some(raw) = raw {
            e.raw(raw);
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(MessageRecord {
            index: Spilled::take(d)?,
            frame: Spilled::take(d)?,
            first_frame: Spilled::take(d)?,
            ts: Spilled::take(d)?,
            src: Spilled::take(d)?,
            dst: Spilled::take(d)?,
            transport: Spilled::take(d)?,
            outer: Spilled::take(d)?,
            start: Spilled::take(d)?,
            call_id: Spilled::take(d)?,
            cseq: Spilled::take(d)?,
            cseq_method: Spilled::take(d)?,
            from: Spilled::take(d)?,
            to: Spilled::take(d)?,
            branch: Spilled::take(d)?,
            sent_by: Spilled::take(d)?,
            vias: Spilled::take(d)?,
            agent: Spilled::take(d)?,
            media: Spilled::take(d)?,
            has_sdp: Spilled::take(d)?,
            expires: Spilled::take(d)?,
            has_credentials: Spilled::take(d)?,
            digest: <Option<DigestKey> as Spilled>::take(d)?.map(Box::new),
            asserted_user: Spilled::take(d)?,
            linked_call_ids: Spilled::take(d)?,
            retry_after: Spilled::take(d)?,
            subscription_state: Spilled::take(d)?,
            len: Spilled::take(d)?,
            diagnostics: Spilled::take(d)?,
            retransmission: Spilled::take(d)?,
            duplicate: Spilled::take(d)?,
            copy_key: Spilled::take(d)?,
            exchange: Spilled::take(d)?,
            transaction: Spilled::take(d)?,
            icmp: Spilled::take(d)?,
            raw: if bool::take(d)? {
                Some(d.raw()?.to_vec())
            } else {
                None
            },
        })
    }
}
