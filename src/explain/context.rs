//! What the correlation layer knows about a message that the message alone does not say.
//!
//! Every field is optional: an explanation built from a bare message is still right, only
//! less specific ("la requête" instead of "la requête REGISTER F1").

use std::net::SocketAddr;

use crate::sip::Message;

/// The context of one message in its capture.
#[derive(Debug, Clone, Copy, Default)]
pub struct Context<'a> {
    /// Who sent the message: a role (`proxy`, `UAC`, `UAS`, `registrar`, `server`, `B2BUA`,
    /// `phone`) or a free label such as a User-Agent; roles are translated, labels are shown
    /// as given.
    pub sender_label: Option<&'a str>,
    /// Who receives it, in the same form.
    pub receiver_label: Option<&'a str>,
    /// For a response: the request it answers (same transaction).
    pub request: Option<&'a Message<'a>>,
    /// For a request: it retries after this challenge (401 or 407).
    pub previous_challenge: Option<u16>,
    /// The message repeats one already seen (same transaction, same content).
    pub retransmission: bool,
    /// The sender re-issues, as its own UAC, a request it received (a proxy that registers
    /// the user at the server with its own Contact).
    pub proxy_reissue: bool,
    /// The request opens something new (a dialog, a registration), as opposed to one inside
    /// an existing dialog; `None` when not known.
    pub initial_request: Option<bool>,
    /// For an ACK: it acknowledges a 2xx response, so it is a transaction of its own.
    pub is_2xx_ack: bool,
    /// For an ACK: the final status it acknowledges, when known.
    pub acked_status: Option<u16>,
    /// The ICMP error the datagram carrying this message provoked (`port unreachable`...).
    pub icmp_error: Option<&'a str>,
    /// The source address of the packet, to compare with what Via says.
    pub source: Option<SocketAddr>,
    /// The destination address of the packet.
    pub destination: Option<SocketAddr>,
    /// The transport that carried the message (`UDP`, `TCP`, `TLS`, `WS`...).
    pub transport: Option<&'a str>,
}
