//! Things worth telling the user that do not stop the reading: damage, gaps, unknown layers.

use std::fmt;
use std::net::SocketAddr;

/// One warning, attached to the frame where it was noticed when there is one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Warning {
    /// The frame number (1-based, across all inputs) where it was noticed.
    pub frame: Option<u64>,
    /// What happened.
    pub kind: WarningKind,
}

/// The kinds of warnings. Each has a stable short name for JSON and grouping.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum WarningKind {
    /// The capture ends or breaks in the middle of a record; what came before was read.
    CaptureTruncated {
        /// The file.
        file: String,
        /// Byte offset in the (decompressed) file where reading stopped.
        offset: u64,
        /// Frames read from all inputs before it stopped.
        after_frame: u64,
        /// Why it stopped.
        detail: String,
    },
    /// Packets of a link type this tool does not decode.
    UnknownLinkType {
        /// The LINKTYPE_ value.
        linktype: i32,
    },
    /// The packet was cut by the capture's snap length.
    SnapLengthCut {
        /// Bytes on the wire.
        original: u32,
        /// Bytes in the file.
        captured: u32,
    },
    /// A layer of the packet could not be decoded.
    DamagedPacket {
        /// The layer and what was wrong.
        detail: String,
    },
    /// A set of IP fragments that never completed (timeout, cap, or end of capture).
    FragmentsIncomplete {
        /// Number of incomplete datagrams dropped.
        datagrams: u64,
        /// Why they were dropped.
        reason: &'static str,
    },
    /// A TCP stream lost bytes (a segment was never captured); the message across the hole is lost.
    TcpGap {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Missing bytes.
        bytes: u64,
    },
    /// Bytes on a SIP TCP stream that are not a SIP message were skipped.
    TcpUnframed {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Skipped bytes.
        bytes: u64,
        /// Why they were skipped.
        reason: &'static str,
    },
    /// A SIP message with an unusable Content-Length.
    BadContentLength {
        /// What was wrong.
        detail: String,
    },
    /// A TLS connection that cannot be read: no key, a key that does not match, a suite not
    /// read here, or a handshake outside the capture. Its bytes are counted, not framed.
    TlsUnreadable {
        /// The client (the side that sent the ClientHello, or the sender when unknown).
        client: SocketAddr,
        /// The server.
        server: SocketAddr,
        /// Why.
        reason: String,
    },
    /// A TLS record that does not open with keys that opened the ones before it: damaged.
    TlsRecordDamaged {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Its length.
        bytes: u64,
        /// What was wrong.
        reason: &'static str,
    },
    /// A datagram that starts like a SIP message but whose start line is not one (a scanner's
    /// or a fuzzer's probe): not counted as SIP.
    BrokenStartLine {
        /// Sender.
        src: SocketAddr,
        /// Receiver.
        dst: SocketAddr,
        /// Its first line, as far as it could be read.
        line: String,
    },
    /// Messages without a Call-ID header, which nothing ties to a call: counted, not
    /// correlated. One warning stands for all of them and names the first.
    WithoutCallId {
        /// How many.
        messages: u64,
        /// The first one's sender.
        src: SocketAddr,
        /// Its receiver.
        dst: SocketAddr,
        /// Its start line, as far as it could be read.
        line: String,
    },
    /// A limit kept memory bounded and something was dropped.
    LimitReached {
        /// Which limit and what was dropped.
        detail: String,
    },
}

impl WarningKind {
    /// How many occurrences this warning stands for: one, but for a warning that counts many
    /// ([`WarningKind::WithoutCallId`]).
    pub fn occurrences(&self) -> u64 {
        match self {
            WarningKind::WithoutCallId { messages, .. } => *messages,
            _ => 1,
        }
    }

    /// A short stable name, used as the JSON key and to group repeated warnings.
    pub fn name(&self) -> &'static str {
        match self {
            WarningKind::CaptureTruncated { .. } => "capture_truncated",
            WarningKind::UnknownLinkType { .. } => "unknown_link_type",
            WarningKind::SnapLengthCut { .. } => "snap_length_cut",
            WarningKind::DamagedPacket { .. } => "damaged_packet",
            WarningKind::FragmentsIncomplete { .. } => "fragments_incomplete",
            WarningKind::TcpGap { .. } => "tcp_gap",
            WarningKind::TcpUnframed { .. } => "tcp_unframed",
            WarningKind::BadContentLength { .. } => "bad_content_length",
            WarningKind::TlsUnreadable { .. } => "tls_unreadable",
            WarningKind::TlsRecordDamaged { .. } => "tls_record_damaged",
            WarningKind::BrokenStartLine { .. } => "broken_start_line",
            WarningKind::WithoutCallId { .. } => "without_call_id",
            WarningKind::LimitReached { .. } => "limit_reached",
        }
    }
}

impl fmt::Display for WarningKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WarningKind::CaptureTruncated {
                file,
                offset,
                after_frame,
                detail,
            } => write!(
                f,
                "{file}: capture truncated or damaged at byte {offset}, after frame {after_frame} ({detail}); the frames before were read"
            ),
            WarningKind::UnknownLinkType { linktype } => {
                write!(
                    f,
                    "link type {linktype} ({}) is not supported; its packets were skipped",
                    linktype_name(*linktype)
                )
            }
            WarningKind::SnapLengthCut { original, captured } => write!(
                f,
                "packet cut by the snap length ({captured} of {original} bytes captured)"
            ),
            WarningKind::DamagedPacket { detail } => write!(f, "damaged packet: {detail}"),
            WarningKind::FragmentsIncomplete { datagrams, reason } => write!(
                f,
                "{datagrams} fragmented IP datagram(s) never completed ({reason})"
            ),
            WarningKind::TcpGap { src, dst, bytes } => write!(
                f,
                "TCP stream {src} -> {dst}: {bytes} bytes missing from the capture; the message across the gap is lost"
            ),
            WarningKind::TcpUnframed {
                src,
                dst,
                bytes,
                reason,
            } => write!(
                f,
                "TCP stream {src} -> {dst}: skipped {bytes} bytes ({reason})"
            ),
            WarningKind::BadContentLength { detail } => write!(f, "bad Content-Length: {detail}"),
            WarningKind::TlsUnreadable {
                client,
                server,
                reason,
            } => write!(
                f,
                "TLS connection {client} -> {server} cannot be read: {reason}; no SIP taken from it"
            ),
            WarningKind::TlsRecordDamaged {
                src,
                dst,
                bytes,
                reason,
            } => write!(
                f,
                "TLS stream {src} -> {dst}: a record of {bytes} bytes is damaged ({reason}); the message in it is lost"
            ),
            WarningKind::BrokenStartLine { src, dst, line } => write!(
                f,
                "{src} → {dst}: not read as SIP, its start line is broken: {line:?}"
            ),
            // The count goes to the warning's group ([`WarningKind::occurrences`]).
            WarningKind::WithoutCallId { src, dst, line, .. } => write!(
                f,
                "{src} → {dst}: {line:?} has no Call-ID header: counted, not correlated into a call"
            ),
            WarningKind::LimitReached { detail } => write!(f, "limit reached: {detail}"),
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.frame {
            Some(frame) => write!(f, "frame {frame}: {}", self.kind),
            None => write!(f, "{}", self.kind),
        }
    }
}

/// A readable name for the common LINKTYPE_ values, for messages.
pub fn linktype_name(linktype: i32) -> &'static str {
    match linktype {
        0 => "NULL/BSD loopback",
        1 => "Ethernet",
        101 | 12 | 14 => "raw IP",
        108 => "OpenBSD loopback",
        113 => "Linux cooked SLL",
        276 => "Linux cooked SLL2",
        228 => "raw IPv4",
        229 => "raw IPv6",
        9 => "PPP",
        105 => "IEEE 802.11",
        127 => "802.11 radiotap",
        147..=162 => "user-defined",
        _ => "unknown",
    }
}
