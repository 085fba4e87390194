//! Errors that stop the reading of one capture file before its first packet.

use std::path::PathBuf;

/// A capture that cannot be read at all. Damage after the first packet is not an error but a
/// [`Warning`](super::Warning) with everything read before it kept.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CaptureError {
    /// The file could not be opened or read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The capture's path (`-` for standard input).
        path: PathBuf,
        /// The operating system's reason.
        #[source]
        source: std::io::Error,
    },
    /// The bytes do not start with a pcap or pcapng header.
    #[error("{path} is not a pcap or pcapng capture")]
    NotACapture {
        /// The capture's path.
        path: PathBuf,
    },
    /// The file is a capture in another container format, which tools convert to pcap.
    #[error(
        "{path} is a {format} capture, not pcap or pcapng: convert it with Wireshark's editcap, `editcap -F pcap {path} converted.pcap`, then read converted.pcap"
    )]
    OtherFormat {
        /// The capture's path.
        path: PathBuf,
        /// The format's name.
        format: &'static str,
    },
    /// The file is empty or ends inside its own header.
    #[error("{path} is empty or too short to be a capture ({len} bytes)")]
    TooShort {
        /// The capture's path.
        path: PathBuf,
        /// How many bytes it holds.
        len: usize,
    },
}
