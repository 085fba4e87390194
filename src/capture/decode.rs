//! From a captured frame to SIP payloads: link layer, encapsulations, IP (with
//! defragmentation), UDP, TCP (with reassembly and WebSocket), SCTP, HEP and ICMP errors. The
//! single entry point of the capture layer's decoding.

use std::collections::BTreeSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use etherparse::{IpNumber, LaxIpPayloadSlice, LaxNetSlice, TcpSlice, UdpSlice};

use crate::sip::framing;

use super::defrag::{Defragmenter, Fragment, FragmentKey, FragmentOutcome};
use super::encap::{self, EncapKind, Layer, OuterLayer};
use super::fast;
use super::icmp;
use super::link::{self, LinkError};
use super::rtp;
use super::sctp::{self, SctpReassembler};
use super::tcp::{Segment, StreamKey, StreamMessage, TcpReassembler};
use super::time::Timestamp;
use super::tls::{KeyLog, TlsConnections};
use super::warning::{Warning, WarningKind};

pub use super::event::{DecodeCounters, Event, Frame, Held, IcmpQuote, SipPayload, Transport};

/// Decodes frames one by one; holds the state that spans frames (fragments, streams).
#[derive(Default)]
pub struct Decoder {
    defrag: Defragmenter,
    tcp: TcpReassembler,
    sctp: SctpReassembler,
    counters: DecodeCounters,
    warned_linktypes: BTreeSet<i32>,
    last_expiry: Timestamp,
    /// The encapsulations around the packet being decoded, outermost first.
    path: Vec<OuterLayer>,
    /// Whether RTCP packets are reported (the correlation has no use for them).
    rtcp: bool,
}

/// The frame being decoded, as the inner layers need it.
#[derive(Clone, Copy)]
struct FrameInfo {
    number: u64,
    ts: Timestamp,
    /// (bytes on the wire, bytes captured) when the snap length cut the frame.
    cut: Option<(u32, u32)>,
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
    /// A decoder that also reports RTCP packets.
    pub fn with_rtcp() -> Decoder {
        Decoder {
            rtcp: true,
            ..Decoder::default()
        }
    }

    /// This decoder, reading TLS with the secrets of a key log.
    pub fn with_tls_keys(self, keys: Option<Arc<KeyLog>>) -> Decoder {
        Decoder {
            tcp: TcpReassembler::with_tls(TlsConnections::with_keys(keys)),
            ..self
        }
    }

    /// Decodes one frame, calling `sink` for each event it yields.
    pub fn decode(&mut self, frame: &Frame<'_>, sink: &mut dyn FnMut(Event<'_>)) {
        self.counters.frames += 1;
        self.expire_fragments(frame.ts, frame.number, sink);
        self.path.clear();
        let captured = u32::try_from(frame.data.len()).unwrap_or(u32::MAX);
        let info = FrameInfo {
            number: frame.number,
            ts: frame.ts,
            cut: (frame.orig_len > captured).then_some((frame.orig_len, captured)),
        };
        if let Some(udp) = fast::plain_udp(frame.linktype, frame.data) {
            self.counters.ip_packets += 1;
            let origin = Origin {
                frame: frame.number,
                first_frame: frame.number,
                ts: frame.ts,
                src: IpAddr::V4(udp.src),
                dst: IpAddr::V4(udp.dst),
            };
            let ports = (udp.src_port, udp.dst_port);
            return self.datagram(udp.payload, ports, false, origin, info, sink);
        }
        let layer = match link::classify(frame.linktype, frame.data) {
            Ok(layer) => layer,
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
        };
        self.walk(layer, info, sink);
    }

    /// Ends the input: flushes TCP streams and reports fragments that never completed.
    pub fn finish(&mut self, sink: &mut dyn FnMut(Event<'_>)) {
        let mut warnings = Vec::new();
        // Messages that only the end of the capture completes (after a hole was given up on).
        self.tcp.finish(
            &mut |m| sink(Event::Sip(stream_payload(&m, &[]))),
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

    /// What is held between frames right now, to check the caps: incomplete IP datagrams,
    /// their bytes, TCP streams followed, and bytes buffered on them.
    pub fn held(&self) -> Held {
        Held {
            ip_datagrams: self.defrag.incomplete(),
            ip_bytes: self.defrag.pending_bytes(),
            tcp_streams: self.tcp.live_streams(),
            tcp_bytes: self.tcp.buffered_bytes(),
            sctp_streams: self.sctp.pending_streams(),
        }
    }

    /// Counts so far.
    pub fn counters(&self) -> DecodeCounters {
        let mut c = self.counters.clone();
        c.tcp_retransmitted_segments = self.tcp.retransmitted_segments;
        c.tcp_out_of_order_segments = self.tcp.out_of_order_segments;
        c.tls_streams = self.tcp.tls.streams;
        c.tls_bytes = self.tcp.tls.bytes;
        c.tls_decrypted_bytes = self.tcp.tls.decrypted_bytes;
        c.tls_unreadable = self.tcp.tls.unreadable;
        c
    }

    /// Decodes one layer and what it carries; encapsulations recurse, up to a depth.
    fn walk(&mut self, layer: Layer<'_>, info: FrameInfo, sink: &mut dyn FnMut(Event<'_>)) {
        let sliced = match link::slice(layer) {
            Ok(Some(sliced)) => sliced,
            Ok(None) => return,
            Err(detail) => {
                sink(damaged(info.number, detail));
                return;
            }
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
                    self.add_fragment(fragment, info, sink);
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
                        self.add_fragment(fragment, info, sink);
                    }
                    return;
                }
                (IpAddr::V6(src), IpAddr::V6(dst), ip.payload())
            }
            Some(LaxNetSlice::Arp(_)) => return,
            None => {
                if let Some((err, layer)) = &sliced.stop_err {
                    sink(damaged(info.number, format!("{layer}: {err}")));
                } else if let Some(ether) = sliced.ether_payload() {
                    self.ether(ether.ether_type.0, ether.payload, info, sink);
                }
                return;
            }
        };
        self.counters.ip_packets += 1;
        let origin = Origin {
            frame: info.number,
            first_frame: info.number,
            ts: info.ts,
            src,
            dst,
        };
        self.ip_payload(payload, origin, info, sink);
    }

    /// Follows one encapsulation: notes it on the path and decodes what it carries.
    fn enter(
        &mut self,
        outer: OuterLayer,
        inner: Layer<'_>,
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        if self.path.len() >= encap::MAX_DEPTH {
            sink(Event::Warning(Warning {
                frame: Some(info.number),
                kind: WarningKind::LimitReached {
                    detail: format!(
                        "more than {} nested encapsulations; the packet was skipped",
                        encap::MAX_DEPTH
                    ),
                },
            }));
            return;
        }
        self.counters.encapsulated += 1;
        self.path.push(outer);
        self.walk(inner, info, sink);
        self.path.pop();
    }

    /// A link payload that is not IP: PPPoE, MPLS, or an Ethernet bridge.
    fn ether(
        &mut self,
        ether_type: u16,
        payload: &[u8],
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        let layer = |kind, id| OuterLayer {
            kind,
            src: None,
            dst: None,
            id,
        };
        match ether_type {
            encap::pppoe::ETHERTYPE_PPPOE_SESSION => {
                if let Some((session, inner)) = encap::pppoe::parse(payload) {
                    self.enter(layer(EncapKind::Pppoe, Some(session)), inner, info, sink);
                }
            }
            encap::mpls::ETHERTYPE_MPLS_UNICAST | encap::mpls::ETHERTYPE_MPLS_MULTICAST => {
                match encap::mpls::parse(payload) {
                    Some((label, inner)) => {
                        self.enter(layer(EncapKind::Mpls, Some(label)), inner, info, sink)
                    }
                    None => sink(damaged(
                        info.number,
                        format!(
                            "MPLS label stack without a bottom within {} labels, or an unknown payload",
                            encap::mpls::MAX_LABELS
                        ),
                    )),
                }
            }
            0x6558 => self.walk(Layer::Ethernet(payload), info, sink),
            _ => {}
        }
    }

    fn expire_fragments(&mut self, now: Timestamp, frame: u64, sink: &mut dyn FnMut(Event<'_>)) {
        if now.nanos_since(self.last_expiry) < 1_000_000_000 || !self.defrag.expiry_due() {
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
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        self.counters.ip_fragments += 1;
        let evicted_before = self.defrag.evicted;
        let outcome = self.defrag.add(fragment, info.ts, info.number);
        if self.defrag.evicted > evicted_before {
            sink(Event::Warning(Warning {
                frame: Some(info.number),
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
            FragmentOutcome::Invalid(why) => {
                sink(damaged(info.number, format!("IP fragment rejected: {why}")))
            }
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
                    frame: info.number,
                    first_frame: done.first_frame,
                    ts: info.ts,
                    src: fragment.key.src,
                    dst: fragment.key.dst,
                };
                self.ip_payload(&payload, origin, FrameInfo { cut: None, ..info }, sink);
            }
        }
    }

    /// What an IP packet carries: UDP, TCP, SCTP, ICMP, or another encapsulation.
    fn ip_payload(
        &mut self,
        ip: &LaxIpPayloadSlice<'_>,
        origin: Origin,
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        let tunnel = |kind, id| OuterLayer {
            kind,
            src: Some(origin.src),
            dst: Some(origin.dst),
            id,
        };
        match ip.ip_number {
            IpNumber::UDP => self.udp(ip, origin, info, sink),
            IpNumber::TCP => self.tcp(ip.payload, origin, sink),
            IpNumber::SCTP => self.sctp(ip.payload, origin, sink),
            IpNumber::ICMP | IpNumber::IPV6_ICMP => {
                icmp_error(ip, origin, sink);
            }
            IpNumber::IPV4 | IpNumber::IPV6 => self.enter(
                tunnel(EncapKind::IpInIp, None),
                Layer::Ip(ip.payload),
                info,
                sink,
            ),
            IpNumber::GRE => {
                if let Some(gre) = encap::gre::parse(ip.payload) {
                    self.enter(tunnel(gre.kind, gre.id), gre.inner, info, sink);
                }
            }
            _ => {}
        }
    }

    fn udp(
        &mut self,
        ip: &LaxIpPayloadSlice<'_>,
        origin: Origin,
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        let Ok(udp) = UdpSlice::from_slice_lax(ip.payload) else {
            sink(damaged(origin.frame, "UDP header cut short".into()));
            return;
        };
        let ports = (udp.source_port(), udp.destination_port());
        self.datagram(udp.payload(), ports, ip.incomplete, origin, info, sink);
    }

    /// What a UDP datagram carries: a tunnel, HEP, SIP, or RTP.
    fn datagram(
        &mut self,
        payload: &[u8],
        (sport, dport): (u16, u16),
        ip_incomplete: bool,
        origin: Origin,
        info: FrameInfo,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        self.counters.udp_datagrams += 1;
        let on = |port: u16| sport == port || dport == port;
        let tunnel = |kind, id| OuterLayer {
            kind,
            src: Some(origin.src),
            dst: Some(origin.dst),
            id,
        };
        if on(encap::vxlan::PORT) || on(encap::vxlan::LEGACY_PORT) {
            if let Some((vni, inner)) = encap::vxlan::parse(payload) {
                return self.enter(tunnel(EncapKind::Vxlan, Some(vni)), inner, info, sink);
            }
        }
        if on(encap::gtpu::PORT) {
            if let Some((teid, inner)) = encap::gtpu::parse(payload) {
                return self.enter(tunnel(EncapKind::GtpU, Some(teid)), inner, info, sink);
            }
        }
        if payload.starts_with(b"HEP3") || on(encap::hep::PORT) {
            if let Some(hep) = encap::hep::parse(payload) {
                return self.hep(&hep, tunnel(EncapKind::Hep, hep.agent), origin, sink);
            }
        }
        let Some(framed) = framing::frame_datagram(payload) else {
            let (src, dst) = (
                SocketAddr::new(origin.src, sport),
                SocketAddr::new(origin.dst, dport),
            );
            if let Some(packet) = rtp::parse(payload, origin.frame, origin.ts, src, dst) {
                self.counters.rtp_packets += 1;
                sink(Event::Rtp(packet));
            } else if let Some(packet) = self
                .rtcp
                .then(|| rtp::parse_rtcp(payload, origin.frame, origin.ts, src, dst))
                .flatten()
            {
                sink(Event::Rtcp(packet, payload));
            } else if let Some(line) = crate::sip::broken_start::broken_start_line(payload) {
                sink(Event::Warning(Warning {
                    frame: Some(origin.frame),
                    kind: WarningKind::BrokenStartLine {
                        src,
                        dst,
                        line: line.to_string(),
                    },
                }));
            }
            return;
        };
        if let Some((original, captured)) = info.cut {
            sink(Event::Warning(Warning {
                frame: Some(origin.frame),
                kind: WarningKind::SnapLengthCut { original, captured },
            }));
        } else if ip_incomplete {
            sink(damaged(
                origin.frame,
                "SIP datagram shorter than its IP header says".into(),
            ));
        }
        sink(Event::Sip(SipPayload {
            frame: origin.frame,
            first_frame: origin.first_frame,
            ts: origin.ts,
            src: SocketAddr::new(origin.src, sport),
            dst: SocketAddr::new(origin.dst, dport),
            transport: Transport::Udp,
            bytes: payload.get(..framed.len).unwrap_or(payload),
            framed,
            outer: &self.path,
        }));
    }

    /// A packet forwarded by a HEP agent: the original addresses, ports and time.
    fn hep(
        &mut self,
        hep: &encap::hep::HepPacket<'_>,
        outer: OuterLayer,
        origin: Origin,
        sink: &mut dyn FnMut(Event<'_>),
    ) {
        let Some(framed) = framing::frame_datagram(hep.payload) else {
            return;
        };
        self.counters.encapsulated += 1;
        self.path.push(outer);
        let transport = match hep.ip_protocol {
            6 => Transport::Tcp,
            132 => Transport::Sctp,
            _ => Transport::Udp,
        };
        sink(Event::Sip(SipPayload {
            frame: origin.frame,
            first_frame: origin.first_frame,
            ts: hep.ts.unwrap_or(origin.ts),
            src: hep.src,
            dst: hep.dst,
            transport,
            bytes: hep.payload.get(..framed.len).unwrap_or(hep.payload),
            framed,
            outer: &self.path,
        }));
        self.path.pop();
    }

    fn tcp(&mut self, bytes: &[u8], origin: Origin, sink: &mut dyn FnMut(Event<'_>)) {
        let Ok(tcp) = TcpSlice::from_slice(bytes) else {
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
        let path = &self.path;
        let mut warnings = Vec::new();
        self.tcp.push(
            segment,
            origin.frame,
            origin.ts,
            &mut |m| sink(Event::Sip(stream_payload(&m, path))),
            &mut |w| warnings.push(w),
        );
        for kind in warnings {
            sink(Event::Warning(Warning {
                frame: Some(origin.frame),
                kind,
            }));
        }
    }

    fn sctp(&mut self, bytes: &[u8], origin: Origin, sink: &mut dyn FnMut(Event<'_>)) {
        let Some((sport, dport, chunks)) = sctp::parse(bytes) else {
            sink(damaged(origin.frame, "SCTP header cut short".into()));
            return;
        };
        self.counters.sctp_packets += 1;
        let src = SocketAddr::new(origin.src, sport);
        let dst = SocketAddr::new(origin.dst, dport);
        for chunk in chunks {
            let emit = |bytes: &[u8], first_frame, sink: &mut dyn FnMut(Event<'_>), path| {
                if let Some(framed) = framing::frame_datagram(bytes) {
                    sink(Event::Sip(SipPayload {
                        frame: origin.frame,
                        first_frame,
                        ts: origin.ts,
                        src,
                        dst,
                        transport: Transport::Sctp,
                        bytes: bytes.get(..framed.len).unwrap_or(bytes),
                        framed,
                        outer: path,
                    }));
                }
            };
            if chunk.begin && chunk.end {
                emit(chunk.data, origin.frame, sink, &self.path);
            } else if let Some((message, first_frame)) =
                self.sctp.push(src, dst, &chunk, origin.frame, origin.ts)
            {
                emit(&message, first_frame, sink, &self.path);
            }
        }
    }
}

/// An ICMP error: reported when it quotes a SIP datagram.
fn icmp_error(ip: &LaxIpPayloadSlice<'_>, origin: Origin, sink: &mut dyn FnMut(Event<'_>)) {
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

/// A message framed on a TCP stream, as a [`SipPayload`].
fn stream_payload<'a>(m: &StreamMessage<'a>, outer: &'a [OuterLayer]) -> SipPayload<'a> {
    SipPayload {
        frame: m.frame,
        first_frame: m.first_frame,
        ts: m.ts,
        src: m.key.src,
        dst: m.key.dst,
        transport: match (m.websocket, m.tls) {
            (false, false) => Transport::Tcp,
            (false, true) => Transport::Tls,
            (true, false) => Transport::Ws,
            (true, true) => Transport::Wss,
        },
        bytes: m.bytes,
        framed: m.framed,
        outer,
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
                Event::Rtp(p) => format!("rtp {} -> {} pt {}", p.src, p.dst, p.payload_type),
                Event::Rtcp(p, _) => format!("rtcp {} -> {} ssrc {}", p.src, p.dst, p.ssrc),
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
        assert_eq!(
            decode(&rtp, rtp.len() as u32),
            vec!["rtp 192.0.2.1:5062 -> 192.0.2.2:5060 pt 8".to_string()]
        );
        let dns = udp_frame(&[0x12, 0x34, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        assert!(decode(&dns, dns.len() as u32).is_empty());
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
