//! From a captured frame to SIP payloads: link layer, IP (with defragmentation), UDP, TCP
//! (with reassembly) and ICMP errors. The single entry point of the capture layer's decoding.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};

use etherparse::{IpNumber, LaxIpPayloadSlice, LaxNetSlice, TcpSlice, UdpSlice};

use crate::sip::framing::{self, Framed, StartLine};

use super::defrag::{Defragmenter, Fragment, FragmentKey, FragmentOutcome};
use super::icmp;
use super::link::{LinkError, slice_frame};
use super::tcp::{Segment, StreamKey, TcpReassembler};
use super::time::Timestamp;
use super::warning::{Warning, WarningKind};

/// One frame as read from the capture.
#[derive(Clone, Copy, Debug)]
pub struct Frame<'a> {
    /// 1-based number across all inputs, in reading order.
    pub number: u64,
    /// When it was captured.
    pub ts: Timestamp,
    /// LINKTYPE_ of its interface.
    pub linktype: i32,
    /// Length on the wire.
    pub orig_len: u32,
    /// The captured bytes.
    pub data: &'a [u8],
}

/// The transport a SIP message travelled on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
pub enum Transport {
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
    /// TCP.
    #[serde(rename = "TCP")]
    Tcp,
}

impl Transport {
    /// The name as written in a Via header.
    pub fn as_str(self) -> &'static str {
        match self {
            Transport::Udp => "UDP",
            Transport::Tcp => "TCP",
        }
    }
}

/// A SIP message found in the capture, borrowed from the frame or the stream buffer.
#[derive(Clone, Copy, Debug)]
pub struct SipPayload<'a> {
    /// The frame that completed it (the last segment or fragment).
    pub frame: u64,
    /// The frame where it started (differs for TCP and fragments).
    pub first_frame: u64,
    /// Capture time of the completing frame.
    pub ts: Timestamp,
    /// Sender.
    pub src: SocketAddr,
    /// Receiver.
    pub dst: SocketAddr,
    /// Transport.
    pub transport: Transport,
    /// The message bytes, body included.
    pub bytes: &'a [u8],
    /// How it was framed (start line, header length, Content-Length).
    pub framed: Framed<'a>,
}

/// An ICMP error that quotes a SIP datagram: the datagram was not delivered.
#[derive(Clone, Copy, Debug)]
pub struct IcmpQuote<'a> {
    /// The frame of the ICMP error.
    pub frame: u64,
    /// Its capture time.
    pub ts: Timestamp,
    /// Who sent the error.
    pub reporter: IpAddr,
    /// What kind of error ("port unreachable"...).
    pub reason: &'static str,
    /// The quoted datagram's sender.
    pub src: SocketAddr,
    /// The quoted datagram's destination (the one that could not be reached).
    pub dst: SocketAddr,
    /// The quoted start line.
    pub start: StartLine<'a>,
    /// The quoted bytes (may be cut short).
    pub bytes: &'a [u8],
}

/// What decoding a frame produces.
#[derive(Debug)]
pub enum Event<'a> {
    /// A SIP message.
    Sip(SipPayload<'a>),
    /// An ICMP error quoting a SIP datagram.
    IcmpError(IcmpQuote<'a>),
    /// Something worth telling the user.
    Warning(Warning),
}

/// Per-layer counts kept while decoding.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DecodeCounters {
    /// Frames given to the decoder.
    pub frames: u64,
    /// Frames whose link type is not decoded.
    pub unsupported_link: u64,
    /// IP packets (after the link layer).
    pub ip_packets: u64,
    /// UDP datagrams, reassembled ones counted once.
    pub udp_datagrams: u64,
    /// TCP segments.
    pub tcp_segments: u64,
    /// IP fragments seen.
    pub ip_fragments: u64,
    /// Datagrams rebuilt from fragments.
    pub reassembled_datagrams: u64,
    /// TCP segments that only repeated bytes already seen.
    pub tcp_retransmitted_segments: u64,
    /// TCP segments that arrived ahead of a hole.
    pub tcp_out_of_order_segments: u64,
}

/// Decodes frames one by one; holds the state that spans frames (fragments, TCP streams).
#[derive(Default)]
pub struct Decoder {
    defrag: Defragmenter,
    tcp: TcpReassembler,
    counters: DecodeCounters,
    warned_linktypes: BTreeSet<i32>,
    last_expiry: Timestamp,
}

/// Where a datagram came from, for the transport layer.
#[derive(Clone, Copy)]
struct Origin {
    frame: u64,
    first_frame: u64,
    ts: Timestamp,
    src: IpAddr,
    dst: IpAddr,
}

impl Decoder {
    /// Decodes one frame, calling `sink` for each event it yields.
    pub fn decode(&mut self, frame: &Frame<'_>, sink: &mut dyn FnMut(Event<'_>)) {
        self.counters.frames += 1;
        self.expire_fragments(frame.ts, frame.number, sink);
        let sliced = match slice_frame(frame.linktype, frame.data) {
            Ok(sliced) => sliced,
            Err(LinkError::Unsupported(linktype)) => {
                self.counters.unsupported_link += 1;
                if self.warned_linktypes.insert(linktype) {
                    sink(Event::Warning(Warning {
                        frame: Some(frame.number),
                        kind: WarningKind::UnknownLinkType { linktype },
                    }));
                }
                return;
            }
            Err(LinkError::TooShort { needed, len }) => {
                sink(damaged(
                    frame.number,
                    format!("link header needs {needed} bytes, frame has {len}"),
                ));
                return;
            }
            Err(LinkError::NotIp) => return,
        };
        let (src, dst, payload) = match &sliced.net {
            Some(LaxNetSlice::Ipv4(ip)) => {
                let header = ip.header();
                let (src, dst) = (header.source_addr(), header.destination_addr());
                if ip.payload().fragmented {
                    let fragment = Fragment {
                        key: FragmentKey {
                            src: src.into(),
                            dst: dst.into(),
                            id: u32::from(header.identification()),
                            protocol: ip.payload().ip_number.0,
                        },
                        offset: header.fragments_offset(),
                        more: header.more_fragments(),
                        payload: ip.payload().payload,
                    };
                    self.counters.ip_packets += 1;
                    self.add_fragment(fragment, frame, sink);
                    return;
                }
                (IpAddr::V4(src), IpAddr::V4(dst), ip.payload())
            }
            Some(LaxNetSlice::Ipv6(ip)) => {
                let header = ip.header();
                let (src, dst) = (header.source_addr(), header.destination_addr());
                if ip.payload().fragmented {
                    let fragment_header =
                        ip.extensions()
                            .clone()
                            .into_iter()
                            .find_map(|ext| match ext {
                                etherparse::Ipv6ExtensionSlice::Fragment(f) => Some(f),
                                _ => None,
                            });
                    if let Some(f) = fragment_header {
                        let fragment = Fragment {
                            key: FragmentKey {
                                src: src.into(),
                                dst: dst.into(),
                                id: f.identification(),
                                protocol: ip.payload().ip_number.0,
                            },
                            offset: f.fragment_offset(),
                            more: f.more_fragments(),
                            payload: ip.payload().payload,
                        };
                        self.counters.ip_packets += 1;
                        self.add_fragment(fragment, frame, sink);
                    }
                    return;
                }
                (IpAddr::V6(src), IpAddr::V6(dst), ip.payload())
            }
            Some(LaxNetSlice::Arp(_)) => return,
            None => {
                if let Some((err, layer)) = &sliced.stop_err {
                    sink(damaged(frame.number, format!("{layer}: {err}")));
                }
                return;
            }
        };
        self.counters.ip_packets += 1;
        let origin = Origin {
            frame: frame.number,
            first_frame: frame.number,
            ts: frame.ts,
            src,
            dst,
        };
        let captured = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        let cut = (frame.orig_len > captured).then_some((frame.orig_len, captured));
        self.transport(payload, origin, cut, sink);
    }

    /// Ends the input: flushes TCP streams and reports fragments that never completed.
    pub fn finish(&mut self, sink: &mut dyn FnMut(Event<'_>)) {
        let mut warnings = Vec::new();
        // Messages that only the end of the capture completes (after a hole was given up on).
        self.tcp.finish(
            &mut |m| {
                sink(Event::Sip(SipPayload {
                    frame: m.frame,
                    first_frame: m.first_frame,
                    ts: m.ts,
                    src: m.key.src,
                    dst: m.key.dst,
                    transport: Transport::Tcp,
                    bytes: m.bytes,
                    framed: m.framed,
                }))
            },
            &mut |w| warnings.push(w),
        );
        let incomplete = self.defrag.incomplete() as u64;
        if incomplete > 0 {
            warnings.push(WarningKind::FragmentsIncomplete {
                datagrams: incomplete,
                reason: "still incomplete at the end of the capture",
            });
        }
        for kind in warnings {
            sink(Event::Warning(Warning { frame: None, kind }));
        }
    }

    /// Counts so far.
    pub fn counters(&self) -> DecodeCounters {
        let mut c = self.counters.clone();
        c.tcp_retransmitted_segments = self.tcp.retransmitted_segments;
        c.tcp_out_of_order_segments = self.tcp.out_of_order_segments;
        c
    }

    fn expire_fragments(&mut self, now: Timestamp, frame: u64, sink: &mut dyn FnMut(Event<'_>)) {
        if now.nanos_since(self.last_expiry) < 1_000_000_000 {
            return;
        }
        self.last_expiry = now;
        let expired = self.defrag.expire(now);
        if expired > 0 {
            sink(Event::Warning(Warning {
                frame: Some(frame),
                kind: WarningKind::FragmentsIncomplete {
                    datagrams: expired,
                    reason: "timed out after 30 s",
                },
            }));
        }
    }

    fn add_fragment(
        &mut self,
        fragment: Fragment<'_>,
        frame: &Frame<'_>,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        self.counters.ip_fragments += 1;
        let evicted_before = self.defrag.evicted;
        let outcome = self.defrag.add(fragment, frame.ts, frame.number);
        if self.defrag.evicted > evicted_before {
            sink(Event::Warning(Warning {
                frame: Some(frame.number),
                kind: WarningKind::LimitReached {
                    detail: format!(
                        "too many incomplete IP datagrams at once; dropped {} oldest",
                        self.defrag.evicted - evicted_before
                    ),
                },
            }));
        }
        match outcome {
            FragmentOutcome::Stored => {}
            FragmentOutcome::Invalid(why) => sink(damaged(
                frame.number,
                format!("IP fragment rejected: {why}"),
            )),
            FragmentOutcome::Complete(done) => {
                self.counters.reassembled_datagrams += 1;
                let payload = LaxIpPayloadSlice {
                    incomplete: false,
                    ip_number: IpNumber(done.protocol),
                    fragmented: false,
                    len_source: etherparse::LenSource::Slice,
                    payload: &done.payload,
                };
                let origin = Origin {
                    frame: frame.number,
                    first_frame: done.first_frame,
                    ts: frame.ts,
                    src: fragment.key.src,
                    dst: fragment.key.dst,
                };
                self.transport(&payload, origin, None, sink);
            }
        }
    }

    fn transport(
        &mut self,
        ip: &LaxIpPayloadSlice<'_>,
        origin: Origin,
        cut: Option<(u32, u32)>,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        match ip.ip_number {
            IpNumber::UDP => {
                let Ok(udp) = UdpSlice::from_slice_lax(ip.payload) else {
                    sink(damaged(origin.frame, "UDP header cut short".into()));
                    return;
                };
                self.counters.udp_datagrams += 1;
                let payload = udp.payload();
                let Some(framed) = framing::frame_datagram(payload) else {
                    return;
                };
                if let Some((original, captured)) = cut {
                    sink(Event::Warning(Warning {
                        frame: Some(origin.frame),
                        kind: WarningKind::SnapLengthCut { original, captured },
                    }));
                } else if ip.incomplete {
                    sink(damaged(
                        origin.frame,
                        "SIP datagram shorter than its IP header says".into(),
                    ));
                }
                sink(Event::Sip(SipPayload {
                    frame: origin.frame,
                    first_frame: origin.first_frame,
                    ts: origin.ts,
                    src: SocketAddr::new(origin.src, udp.source_port()),
                    dst: SocketAddr::new(origin.dst, udp.destination_port()),
                    transport: Transport::Udp,
                    bytes: payload.get(..framed.len).unwrap_or(payload),
                    framed,
                }));
            }
            IpNumber::TCP => {
                let Ok(tcp) = TcpSlice::from_slice(ip.payload) else {
                    sink(damaged(
                        origin.frame,
                        "TCP header damaged or cut short".into(),
                    ));
                    return;
                };
                self.counters.tcp_segments += 1;
                let segment = Segment {
                    key: StreamKey {
                        src: SocketAddr::new(origin.src, tcp.source_port()),
                        dst: SocketAddr::new(origin.dst, tcp.destination_port()),
                    },
                    seq: tcp.sequence_number(),
                    ack: tcp.ack().then(|| tcp.acknowledgment_number()),
                    syn: tcp.syn(),
                    fin_or_rst: tcp.fin() || tcp.rst(),
                    payload: tcp.payload(),
                };
                let mut on_message = |m: super::tcp::StreamMessage<'_>| {
                    sink(Event::Sip(SipPayload {
                        frame: m.frame,
                        first_frame: m.first_frame,
                        ts: m.ts,
                        src: m.key.src,
                        dst: m.key.dst,
                        transport: Transport::Tcp,
                        bytes: m.bytes,
                        framed: m.framed,
                    }))
                };
                let mut warnings = Vec::new();
                self.tcp.push(
                    segment,
                    origin.frame,
                    origin.ts,
                    &mut on_message,
                    &mut |w| warnings.push(w),
                );
                for kind in warnings {
                    sink(Event::Warning(Warning {
                        frame: Some(origin.frame),
                        kind,
                    }));
                }
            }
            IpNumber::ICMP | IpNumber::IPV6_ICMP => {
                let v6 = ip.ip_number == IpNumber::IPV6_ICMP;
                let Some(quoted) = icmp::quoted_udp(ip.payload, v6) else {
                    return;
                };
                let Some((start, _)) = framing::start_line(quoted.payload) else {
                    return;
                };
                sink(Event::IcmpError(IcmpQuote {
                    frame: origin.frame,
                    ts: origin.ts,
                    reporter: origin.src,
                    reason: icmp::describe(v6, quoted.icmp_type, quoted.code),
                    src: quoted.src,
                    dst: quoted.dst,
                    start,
                    bytes: quoted.payload,
                }));
            }
            _ => {}
        }
    }
}

fn damaged(frame: u64, detail: String) -> Event<'static> {
    Event::Warning(Warning {
        frame: Some(frame),
        kind: WarningKind::DamagedPacket { detail },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SIP: &[u8] = b"OPTIONS sip:b@192.0.2.2 SIP/2.0\r\nContent-Length: 0\r\n\r\n";

    /// Ethernet + IPv4 + UDP 5062 -> 5060 around `payload`.
    fn udp_frame(payload: &[u8]) -> Vec<u8> {
        let mut f = vec![0u8; 12];
        let total = (28 + payload.len()) as u16;
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 0, 0, 1, 0, 0, 64, 17, 0, 0]);
        f[16..18].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[192, 0, 2, 1, 192, 0, 2, 2, 0x13, 0xc6, 0x13, 0xc4]);
        f.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
        f.extend_from_slice(&[0, 0]);
        f.extend_from_slice(payload);
        f
    }

    fn decode(data: &[u8], orig_len: u32) -> Vec<String> {
        let mut decoder = Decoder::default();
        let mut seen = Vec::new();
        let frame = Frame {
            number: 7,
            ts: Timestamp(0),
            linktype: 1,
            orig_len,
            data,
        };
        decoder.decode(&frame, &mut |e| {
            seen.push(match e {
                Event::Sip(m) => format!(
                    "sip {} -> {} {:?} {}",
                    m.src,
                    m.dst,
                    m.transport,
                    m.bytes.len()
                ),
                Event::IcmpError(q) => format!("icmp {} {} -> {}", q.reason, q.src, q.dst),
                Event::Warning(w) => format!("warning {w}"),
            })
        });
        seen
    }

    #[test]
    fn finds_sip_in_a_udp_datagram_on_any_port() {
        let f = udp_frame(SIP);
        assert_eq!(
            decode(&f, f.len() as u32),
            vec![format!(
                "sip 192.0.2.1:5062 -> 192.0.2.2:5060 Udp {}",
                SIP.len()
            )]
        );
        let rtp = udp_frame(&[0x80, 0x08, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
        assert!(decode(&rtp, rtp.len() as u32).is_empty());
    }

    #[test]
    fn a_snap_length_cut_is_said() {
        let f = udp_frame(SIP);
        let seen = decode(&f, f.len() as u32 + 100);
        assert_eq!(seen.len(), 2);
        assert!(seen[0].contains("cut by the snap length"), "{seen:?}");
    }

    #[test]
    fn an_icmp_error_quoting_sip_is_not_a_message() {
        let quoted = udp_frame(SIP);
        let mut f = vec![0u8; 12];
        let icmp_len = 8 + quoted.len() - 14;
        let total = (20 + icmp_len) as u16;
        f.extend_from_slice(&[0x08, 0x00, 0x45, 0, 0, 0, 0, 2, 0, 0, 64, 1, 0, 0]);
        f[16..18].copy_from_slice(&total.to_be_bytes());
        f.extend_from_slice(&[192, 0, 2, 2, 192, 0, 2, 1, 3, 3, 0, 0, 0, 0, 0, 0]);
        f.extend_from_slice(&quoted[14..]);
        assert_eq!(
            decode(&f, f.len() as u32),
            vec!["icmp port unreachable 192.0.2.1:5062 -> 192.0.2.2:5060".to_string()]
        );
    }
}
