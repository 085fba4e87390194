//! Caps that keep the parser bounded on hostile or broken input.
//!
//! Exceeding a cap never fails the message: the parser records a [`Diagnostic`] and stops
//! reading the offending part, so a capture with one absurd packet still yields the rest.
//!
//! [`Diagnostic`]: super::diagnostic::Diagnostic

/// Most header fields kept per message (extra ones are skipped with a diagnostic).
pub const MAX_HEADERS: usize = 256;

/// Longest start line or header field, folded continuation lines included, in bytes.
pub const MAX_LINE: usize = 16 * 1024;

/// Largest body kept, in bytes; a longer Content-Length is cut to this with a diagnostic.
pub const MAX_BODY: usize = 1024 * 1024;

/// Most parts read from a multipart body.
pub const MAX_PARTS: usize = 64;

/// Most lines read from an SDP body.
pub const MAX_SDP_LINES: usize = 4096;
