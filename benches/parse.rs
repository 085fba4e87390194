//! Parse throughput: messages per second for the seed's F1 REGISTER and a 1 KB INVITE with SDP.
//!
//! `split` is `Message::parse` alone; `hot_fields` adds what correlation reads from every
//! message (top Via branch, Call-ID, CSeq, From and To tags) through the fast accessors;
//! `typed_fields` reads the same through the fully parsed Via, From and To; `full` adds every
//! typed header check and the SDP body.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use sipladder::sip::Message;

const F1: &[u8] = include_bytes!("../samples/messages/seed_f1_register.sip");
const INVITE: &[u8] = include_bytes!("../samples/messages/invite_sdp_1k.sip");

fn hot_fields(buf: &[u8]) -> usize {
    let Ok(m) = Message::parse(buf) else { return 0 };
    let branch = m.branch().map_or(0, |b| b.len());
    let call_id = m.call_id().map_or(0, |c| c.value.len());
    let cseq = m.cseq().map_or(0, |c| c.seq as usize);
    let from_tag = m.from_tag().map_or(0, |t| t.len());
    let to_tag = m.to_tag().map_or(0, |t| t.len());
    branch + call_id + cseq + from_tag + to_tag
}

fn typed_fields(buf: &[u8]) -> usize {
    let Ok(m) = Message::parse(buf) else { return 0 };
    let branch = m.top_via().and_then(|v| v.branch()).map_or(0, |b| b.len());
    let call_id = m.call_id().map_or(0, |c| c.value.len());
    let cseq = m.cseq().map_or(0, |c| c.seq as usize);
    let from_tag = m.from().and_then(|f| f.tag()).map_or(0, |t| t.len());
    let to_tag = m.to().and_then(|t| t.tag()).map_or(0, |t| t.len());
    branch + call_id + cseq + from_tag + to_tag
}

fn full(buf: &[u8]) -> usize {
    let Ok(m) = Message::parse(buf) else { return 0 };
    m.diagnose().len() + m.sdp().map_or(0, |s| s.media.len()) + hot_fields(buf)
}

fn bench(c: &mut Criterion) {
    for (name, buf) in [("f1_register", F1), ("invite_sdp_1k", INVITE)] {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Elements(1));
        g.bench_function("split", |b| {
            b.iter(|| Message::parse(black_box(buf)).map(|m| m.headers.len()))
        });
        g.bench_function("hot_fields", |b| b.iter(|| hot_fields(black_box(buf))));
        g.bench_function("typed_fields", |b| b.iter(|| typed_fields(black_box(buf))));
        g.bench_function("full", |b| b.iter(|| full(black_box(buf))));
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
