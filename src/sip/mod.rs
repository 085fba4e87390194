/*!
SIP messages: recognising them in a payload, framing them in a byte stream, parsing them.

`framing` is what the capture layer needs: is this payload SIP, and where does each message of a
TCP stream end (Content-Length). The full grammar lives beside it.

[`Message::parse`] splits a message into its start line, header fields and body without copying
and records what was wrong as [`Diagnostic`]s; typed values (URIs, Via, From/To, CSeq, auth
headers, SDP, multipart bodies) are parsed on demand and keep their raw text and byte span.
Limits are in [`limits`]. Nothing here panics on input.
*/

pub mod broken_start;
pub mod charset;
pub mod diagnostic;
pub mod error;
pub mod framing;
pub mod header;
pub mod header_section;
pub mod host;
pub mod lexical;
pub mod limits;
pub mod message;
pub mod method;
pub mod multipart;
pub mod name_addr;
pub mod params;
pub mod sdp;
pub mod span;
pub mod start_line;
pub mod status;
#[cfg(test)]
mod test_gens;
pub mod text;
pub mod uri;

pub use diagnostic::{Diagnostic, DiagnosticKind, Severity};
pub use error::{Error, ErrorKind, IResult};
pub use header::{
    Auth, CSeq, CallId, Contact, Header, HeaderName, MediaType, Rport, Transport, Via,
};
pub use host::Host;
pub use limits::{MAX_BODY, MAX_HEADERS, MAX_LINE};
pub use message::Message;
pub use method::Method;
pub use multipart::{Multipart, Part};
pub use name_addr::NameAddr;
pub use params::{Param, Params};
pub use sdp::{Direction, Media, Sdp};
pub use span::Span;
pub use start_line::{StartLine, Version};
pub use status::{StatusClass, reason_phrase};
pub use text::Text;
pub use uri::{Scheme, Uri};
