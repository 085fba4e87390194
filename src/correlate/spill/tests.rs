//! The spill gives the calls the capture gives without it: same numbers, same summaries, same
//! streams, on every sample (with the spill forced from the first call on).

use std::path::{Path, PathBuf};

use crate::correlate::{Correlation, Correlator, Options};
use crate::reading;

fn correlate(path: &Path, spill_after: Option<usize>) -> Correlation {
    let Ok(mut merged) = reading::open(&[path.to_path_buf()]) else {
        return Correlation::default();
    };
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        spill_after,
        ..Options::default()
    });
    reading::read_into(&mut merged, &mut correlator, None);
    correlator.finish()
}

fn samples_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn samples() -> Vec<PathBuf> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(samples_dir())
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| {
            p.extension()
                .is_some_and(|e| e == "pcap" || e == "pcapng" || e == "gz")
        })
        .collect();
    paths.sort();
    paths
}

#[test]
fn spilled_calls_are_the_held_ones() {
    let mut spilled_some = 0;
    for path in samples() {
        let held = correlate(&path, None);
        let spilled = correlate(&path, Some(0));
        assert_eq!(
            format!("{:?}", held.calls),
            format!("{:?}", spilled.calls),
            "{}",
            path.display()
        );
        assert_eq!(
            format!("{:?}", held.media),
            format!("{:?}", spilled.media),
            "{}",
            path.display()
        );
        assert!(spilled.warnings.len() == held.warnings.len());
        spilled_some += usize::from(spilled.calls.len() > 1);
    }
    assert!(
        spilled_some > 10,
        "samples of several calls: {spilled_some}"
    );
}

#[test]
fn streamed_calls_come_numbered_in_order() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/lab-udp-concurrent.pcap");
    let Ok(mut merged) = reading::open(&[path]) else {
        panic!("the sample opens");
    };
    let mut correlator = Correlator::new(Options {
        spill_after: Some(1),
        ..Options::default()
    });
    reading::read_into(&mut merged, &mut correlator, None);
    let (correlation, calls, _) = correlator.finish_streaming();
    assert!(correlation.calls.is_empty());
    assert!(calls.spilled());
    let total = calls.len();
    let ids: Vec<usize> = calls.map(|c| c.map(|c| c.id).unwrap_or(0)).collect();
    assert_eq!(ids, (1..=total).collect::<Vec<_>>());
    assert!(total > 1);
}

/// Each call's streams, read back call by call from the spill (as `calls` diagnoses them),
/// are those the held streams give it, in the same order.
#[test]
fn spilled_streams_come_back_call_by_call() {
    let (mut streams_seen, mut spilled) = (0, 0);
    for path in samples() {
        let held = correlate(&path, None);
        let Ok(mut merged) = reading::open(std::slice::from_ref(&path)) else {
            continue;
        };
        let mut correlator = Correlator::new(Options {
            spill_after: Some(0),
            ..Options::default()
        });
        reading::read_into(&mut merged, &mut correlator, None);
        let (_, calls, mut streams) = correlator.finish_streaming();
        spilled += usize::from(streams.spilled());
        let by_call = held.media_by_call();
        for call in calls {
            let Ok(call) = call else {
                panic!("{}: a call could not be read back", path.display());
            };
            let expected: Vec<String> =
                by_call.of(&call).iter().map(|m| format!("{m:?}")).collect();
            let Ok(of_call) = streams.of_call(call.id) else {
                panic!("{}: streams could not be read back", path.display());
            };
            let got: Vec<String> = of_call.iter().map(|m| format!("{m:?}")).collect();
            assert_eq!(got, expected, "{} call {}", path.display(), call.id);
            streams_seen += got.len();
        }
    }
    assert!(streams_seen > 10, "streams of calls: {streams_seen}");
    assert!(
        spilled > 5,
        "samples whose streams went to the spill: {spilled}"
    );
}

/// Streams set aside (IPv4 and IPv6 senders, some starting in the same microsecond, some
/// alike but for their rank) come back by start, sender, SSRC and rank, each with its call,
/// whether held or spilled.
#[test]
fn set_aside_streams_come_back_in_report_order() {
    use std::net::SocketAddr;

    use crate::correlate::spill::{StreamOrder, Streams};

    let sample = correlate(&samples_dir().join("lab-udp.pcap"), None);
    let Some(template) = sample.media.first() else {
        panic!("lab-udp.pcap has no stream");
    };
    let senders: [SocketAddr; 4] = [
        "[2001:db8::2]:4000"
            .parse()
            .unwrap_or(SocketAddr::from(([0; 16], 0))),
        "192.0.2.9:6000"
            .parse()
            .unwrap_or(SocketAddr::from(([0; 4], 0))),
        "10.0.0.1:5004"
            .parse()
            .unwrap_or(SocketAddr::from(([0; 4], 0))),
        "[2001:db8::1]:4000"
            .parse()
            .unwrap_or(SocketAddr::from(([0; 16], 0))),
    ];
    // (start, sender, ssrc, group): the last two alike but for the rank they were added in.
    let added = [
        (20, 0, 7, Some(3)),
        (10, 1, 5, None),
        (10, 2, 9, Some(1)),
        (10, 3, 1, Some(2)),
        (10, 2, 9, Some(4)),
    ];
    for spill_after in [0, 2, 100] {
        let mut streams = Streams::spilling_after(spill_after);
        for (rank, &(micros, sender, ssrc, group)) in added.iter().enumerate() {
            let mut stream = template.clone();
            stream.packets = rank as u64;
            let order = StreamOrder {
                micros,
                src: senders[sender],
                ssrc,
            };
            streams.add(order, group, stream, true);
        }
        let Ok(numbered) = streams.numbered(|group| Some(group * 10)) else {
            panic!("streams could not be numbered");
        };
        let Ok(back) = numbered.into_vec() else {
            panic!("streams could not be read back");
        };
        // Same start: "10.0.0.1:5004" < "192.0.2.9:6000" < "[2001:db8::1]:4000" as text.
        let got: Vec<(u64, Option<usize>)> = back.iter().map(|s| (s.packets, s.call)).collect();
        assert_eq!(
            got,
            [
                (2, Some(10)),
                (4, Some(40)),
                (1, None),
                (3, Some(20)),
                (0, Some(30))
            ],
            "held up to {spill_after}"
        );
    }
}

/// The records set aside with each call come back field for field as those kept to the end
/// (the fields JSON leaves out too: the copy key and the raw bytes), on every sample.
#[test]
fn records_set_aside_come_back_whole() {
    let mut compared = 0;
    for path in samples() {
        let correlate = |options: Options| {
            let mut merged = reading::open(std::slice::from_ref(&path)).ok()?;
            let mut correlator = Correlator::new(options);
            reading::read_into(&mut merged, &mut correlator, None);
            Some(correlator.finish_streaming())
        };
        let keeping = Options {
            keep_messages: true,
            keep_raw: true,
            ..Options::default()
        };
        let Some((held, calls, _)) = correlate(keeping.clone()) else {
            continue;
        };
        let Some((_, mut spilled, _)) = correlate(Options {
            message_records: true,
            spill_after: Some(0),
            ..keeping
        }) else {
            continue;
        };
        for call in calls {
            let call = call.unwrap();
            let (again, records) = spilled.next_with_records().unwrap().unwrap();
            assert_eq!(again.id, call.id);
            let expected: Vec<String> = held
                .messages_of(&call)
                .iter()
                .map(|m| format!("{m:?}"))
                .collect();
            let got: Vec<String> = records.iter().map(|m| format!("{m:?}")).collect();
            assert_eq!(got, expected, "{} call {}", path.display(), call.id);
            compared += got.len();
        }
        assert!(spilled.next_with_records().is_none());
    }
    assert!(compared > 100, "{compared} records compared");
}

/// Damaged record bytes are an error, never a panic nor a huge allocation.
#[test]
fn damaged_records_are_an_error() {
    let path = samples()
        .into_iter()
        .find(|p| p.ends_with("seed-call.pcap"))
        .unwrap();
    let mut merged = reading::open(&[path]).unwrap();
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        ..Options::default()
    });
    reading::read_into(&mut merged, &mut correlator, None);
    let correlation = correlator.finish();
    let mut bytes = Vec::new();
    super::records::encode(&correlation.messages, &mut bytes);
    assert_eq!(
        super::records::decode(&bytes).unwrap().len(),
        correlation.messages.len()
    );
    for cut in [1, bytes.len() / 3, bytes.len() - 1] {
        assert!(
            super::records::decode(&bytes[..cut]).is_err(),
            "cut at {cut}"
        );
    }
    let mut flipped = bytes.clone();
    for b in flipped.iter_mut().step_by(7) {
        *b ^= 0xff;
    }
    let _ = super::records::decode(&flipped);
}
