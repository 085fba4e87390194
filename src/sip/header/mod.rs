//! Header fields: names, the raw field, comma lists, and one typed parser per header.
//!
//! Each typed value borrows from the message, keeps its raw text and span, and is parsed only
//! when asked for; a malformed value never blocks the rest of the message.

pub mod auth;
pub mod call_id;
pub mod contact;
pub mod cseq;
pub mod date;
pub mod event;
pub mod field;
pub mod list;
pub mod media_type;
pub mod name;
pub mod number;
pub mod privacy;
pub mod product;
pub mod rack;
pub mod reason;
pub mod replaces;
pub mod retry_after;
pub mod session_timer;
pub mod timestamp;
pub mod token_list;
pub mod typed;
pub mod via;
pub mod warning;

pub use auth::{Auth, AuthParam, Challenge, Credentials};
pub use call_id::CallId;
pub use contact::Contact;
pub use cseq::CSeq;
pub use date::SipDate;
pub use event::{Event, SubscriptionState};
pub use field::Header;
pub use list::{List, split_values};
pub use media_type::MediaType;
pub use name::HeaderName;
pub use number::{ContentLength, Expires, MaxForwards, RSeq};
pub use privacy::privacy_values;
pub use product::{ServerVal, server_vals};
pub use rack::RAck;
pub use reason::Reason;
pub use replaces::Replaces;
pub use retry_after::RetryAfter;
pub use session_timer::{MinSe, SessionExpires, SessionTimer};
pub use timestamp::Timestamp;
pub use token_list::token_list;
pub use typed::check_value;
pub use via::{MAGIC_COOKIE, Rport, Transport, Via};
pub use warning::Warning;
