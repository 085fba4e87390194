//! The capture layer through the library: the same SIP messages, with the same addresses,
//! times and bytes, whatever wraps them.

use std::path::Path;

use sipladder::capture::{CaptureReader, Event, EventSink, MergedReader, read_all};

use crate::common::root;

/// What identifies a message for these comparisons.
type Seen = (String, String, String, &'static str, Vec<u8>);

#[derive(Default)]
struct Collect {
    messages: Vec<Seen>,
    outer: Vec<String>,
    warnings: Vec<String>,
}

impl EventSink for Collect {
    fn event(&mut self, event: Event<'_>) {
        match event {
            Event::Sip(m) => {
                self.messages.push((
                    m.ts.to_string(),
                    m.src.to_string(),
                    m.dst.to_string(),
                    m.transport.as_str(),
                    m.bytes.to_vec(),
                ));
                self.outer.push(
                    m.outer
                        .iter()
                        .map(|o| o.to_string())
                        .collect::<Vec<_>>()
                        .join(" / "),
                );
            }
            Event::Warning(w) => self.warnings.push(w.to_string()),
            Event::IcmpError(_) | Event::Rtp(_) | Event::Rtcp(..) => {}
        }
    }
}

fn read(sample: &str) -> Collect {
    let path = root().join("samples").join(sample);
    let reader = CaptureReader::open(Path::new(&path)).unwrap();
    let mut merged = MergedReader::new(vec![reader]);
    let mut collect = Collect::default();
    read_all(&mut merged, &mut collect);
    collect
}

#[test]
fn a_hep_feed_reads_like_the_original_traffic() {
    let original = read("lab-udp.pcap");
    assert_eq!(original.messages.len(), 23);
    for hep in ["lab-udp-hep3.pcap", "lab-udp-hep2.pcap"] {
        let fed = read(hep);
        assert_eq!(fed.messages, original.messages, "{hep}");
        assert!(
            fed.outer.iter().all(|o| o.starts_with("HEP")),
            "{hep}: {:?}",
            fed.outer
        );
        assert!(fed.warnings.is_empty(), "{hep}: {:?}", fed.warnings);
    }
}

#[test]
fn tunnels_show_the_inner_addresses_and_keep_the_outer_path() {
    let original = read("lab-udp.pcap");
    let strip_time = |c: &Collect| -> Vec<_> {
        c.messages
            .iter()
            .map(|(_, s, d, t, b)| (s.clone(), d.clone(), *t, b.clone()))
            .collect()
    };
    for (sample, outer) in [
        ("lab-udp-gre.pcap", "GRE"),
        ("lab-udp-erspan3.pcap", "ERSPAN"),
        ("lab-udp-vxlan.pcap", "VXLAN 42"),
        ("lab-udp-gtpu.pcap", "GTP-U 4660"),
        ("lab-udp-mpls.pcap", "MPLS"),
        ("lab-udp-pptp.pcap", "PPTP"),
    ] {
        let tunnelled = read(sample);
        assert_eq!(strip_time(&tunnelled), strip_time(&original), "{sample}");
        assert!(
            tunnelled.outer.iter().all(|o| o.starts_with(outer)),
            "{sample}: {:?}",
            tunnelled.outer
        );
    }
}

#[test]
fn nested_encapsulations_are_followed_in_any_order() {
    let nested = read("lab-udp-nested.pcap");
    assert!(!nested.messages.is_empty());
    assert!(nested.warnings.is_empty(), "{:?}", nested.warnings);
    let path = &nested.outer[0];
    for layer in ["MPLS", "ERSPAN", "PPPoE", "GTP-U"] {
        assert!(path.contains(layer), "{layer} missing from {path}");
    }
}

#[test]
fn a_thousand_nested_headers_are_reported_and_skipped() {
    // samples/invalid/nested-1000.pcap: a frame of 1,000 nested IPv4-in-IPv4 headers around a
    // SIP datagram, a frame of 1,000 MPLS labels without a bottom of stack, and one plain SIP
    // frame (a 401).
    let c = read("invalid/nested-1000.pcap");
    assert_eq!(c.messages.len(), 1);
    assert!(c.messages[0].4.starts_with(b"SIP/2.0 401"));
    assert!(
        c.warnings
            .iter()
            .any(|w| w.contains("more than 16 nested encapsulations")),
        "{:?}",
        c.warnings
    );
    assert!(c.warnings.iter().any(|w| w.contains("MPLS label stack")));
}

#[test]
fn websocket_and_sctp_messages_are_framed_whole() {
    for (sample, transport) in [
        ("lab-tcp-ws.pcap", "WS"),
        ("sctp-multi-chunk.pcap", "SCTP"),
        ("public/suricata-verify__sip-body-large.pcap", "TCP"),
    ] {
        let c = read(sample);
        assert!(!c.messages.is_empty(), "{sample}");
        for (_, _, _, t, bytes) in &c.messages {
            assert_eq!(*t, transport, "{sample}");
            let text = String::from_utf8_lossy(bytes);
            let declared: usize = text
                .lines()
                .find_map(|l| l.strip_prefix("Content-Length:"))
                .map_or(0, |v| v.trim().parse().unwrap());
            let body = text.split_once("\r\n\r\n").map_or("", |(_, b)| b);
            assert_eq!(
                body.len(),
                declared,
                "{sample}: {}",
                text.lines().next().unwrap()
            );
        }
    }
}
