//! Checking a header value against the grammar of its header, whatever the header.
//!
//! The fast path of [`Message::parse`](crate::sip::Message::parse) keeps values raw; this is
//! what [`Message::diagnose`](crate::sip::Message::diagnose) runs on every known header to
//! find the malformed ones.

use crate::sip::error::{Error, complete_in};
use crate::sip::name_addr::parse_name_addr;
use crate::sip::span::Span;

use super::auth::parse_auth;
use super::call_id::parse_call_id;
use super::contact::Contact;
use super::cseq::parse_cseq;
use super::date::SipDate;
use super::event::{Event, SubscriptionState};
use super::list::List;
use super::media_type::{MediaType, parse_media_type};
use super::name::HeaderName;
use super::number::{ContentLength, Expires, MaxForwards, RSeq};
use super::privacy::privacy_values;
use super::product::server_vals;
use super::rack::parse_rack;
use super::reason::Reason;
use super::replaces::parse_replaces;
use super::retry_after::parse_retry_after;
use super::session_timer::parse_session_timer;
use super::timestamp::Timestamp;
use super::token_list::token_list;
use super::via::Via;
use super::warning::Warning;

fn all<T>(list: List<'_, T>) -> Result<(), Error> {
    for item in list {
        item?;
    }
    Ok(())
}

fn name_addrs<'a>(base: &'a [u8], value: &'a [u8]) -> Result<(), Error> {
    all(List::new(base, value, parse_name_addr))
}

/// Offsets of errors from standalone parsers are relative to the value; move them to `base`.
fn at<T>(base: &[u8], value: &[u8], r: Result<T, Error>) -> Result<(), Error> {
    r.map(|_| ())
        .map_err(|e| e.shifted(Span::of(base, value).start))
}

/// Parses `value` (a sub-slice of `base`) with the typed parser of `name`. Headers without a
/// typed parser (Subject, Organization, unknown ones...) always pass. Error offsets are
/// measured from `base`.
pub fn check_value(name: HeaderName<'_>, base: &[u8], value: &[u8]) -> Result<(), Error> {
    let needs_items = matches!(
        name,
        HeaderName::Via
            | HeaderName::Contact
            | HeaderName::Route
            | HeaderName::RecordRoute
            | HeaderName::Path
            | HeaderName::ServiceRoute
            | HeaderName::PAssertedIdentity
            | HeaderName::PPreferredIdentity
            | HeaderName::Require
            | HeaderName::ProxyRequire
            | HeaderName::Unsupported
            | HeaderName::AllowEvents
            | HeaderName::ContentEncoding
            | HeaderName::Reason
            | HeaderName::Warning
    );
    if needs_items && crate::sip::lexical::trim(value).is_empty() {
        return Err(Error {
            kind: crate::sip::error::ErrorKind::Expected("at least one value"),
            offset: Span::of(base, value).start,
        });
    }
    match name {
        HeaderName::Via => all(Via::list(base, value)),
        HeaderName::From
        | HeaderName::To
        | HeaderName::ReferTo
        | HeaderName::ReferredBy
        | HeaderName::ReplyTo => {
            complete_in(base, value, "an address", parse_name_addr).map(|_| ())
        }
        HeaderName::Contact => all(Contact::list(base, value)),
        HeaderName::Route
        | HeaderName::RecordRoute
        | HeaderName::Path
        | HeaderName::ServiceRoute
        | HeaderName::PAssertedIdentity
        | HeaderName::PPreferredIdentity => name_addrs(base, value),
        HeaderName::CallId => complete_in(base, value, "a Call-ID", parse_call_id).map(|_| ()),
        HeaderName::CSeq => complete_in(base, value, "a CSeq value", parse_cseq).map(|_| ()),
        HeaderName::MaxForwards => at(base, value, MaxForwards::from_slice(value)),
        HeaderName::ContentLength => at(base, value, ContentLength::from_slice(value)),
        HeaderName::Expires | HeaderName::MinExpires => at(base, value, Expires::from_slice(value)),
        HeaderName::RSeq => at(base, value, RSeq::from_slice(value)),
        HeaderName::ContentType => {
            complete_in(base, value, "a media type", parse_media_type).map(|_| ())
        }
        HeaderName::Accept => all(MediaType::list(base, value)),
        HeaderName::Allow
        | HeaderName::Supported
        | HeaderName::Require
        | HeaderName::ProxyRequire
        | HeaderName::Unsupported
        | HeaderName::AllowEvents
        | HeaderName::ContentEncoding
        | HeaderName::AcceptEncoding => all(token_list(base, value)),
        HeaderName::WwwAuthenticate
        | HeaderName::Authorization
        | HeaderName::ProxyAuthenticate
        | HeaderName::ProxyAuthorization => {
            complete_in(base, value, "an authentication value", parse_auth).map(|_| ())
        }
        HeaderName::Event => at(base, value, Event::from_slice(value)),
        HeaderName::SubscriptionState => at(base, value, SubscriptionState::from_slice(value)),
        HeaderName::SessionExpires | HeaderName::MinSe => {
            complete_in(base, value, "a session interval", parse_session_timer).map(|_| ())
        }
        HeaderName::RAck => complete_in(base, value, "an RAck value", parse_rack).map(|_| ()),
        HeaderName::Reason => all(Reason::list(base, value)),
        HeaderName::Replaces => {
            complete_in(base, value, "a Replaces value", parse_replaces).map(|_| ())
        }
        HeaderName::Privacy => at(base, value, privacy_values(value)),
        HeaderName::Date => at(base, value, SipDate::from_slice(value)),
        HeaderName::Timestamp => at(base, value, Timestamp::from_slice(value)),
        HeaderName::RetryAfter => {
            complete_in(base, value, "a Retry-After value", parse_retry_after).map(|_| ())
        }
        HeaderName::Warning => all(Warning::list(base, value)),
        HeaderName::Server | HeaderName::UserAgent => at(base, value, server_vals(value)),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dispatch() {
        let v: &[u8] = b"SIP/2.0/UDP 192.0.2.15;;,;,,";
        assert!(check_value(HeaderName::Via, v, v).is_err());
        let v: &[u8] = b"300";
        assert!(check_value(HeaderName::MaxForwards, v, v).is_err());
        let v: &[u8] = b"";
        assert!(check_value(HeaderName::Via, v, v).is_err());
        assert!(check_value(HeaderName::Supported, v, v).is_ok());
        let v: &[u8] = b"anything at all ;;,,";
        assert!(check_value(HeaderName::Other("X"), v, v).is_ok());
        assert!(check_value(HeaderName::Subject, v, v).is_ok());
        let buf: &[u8] = b"Max-Forwards: 300";
        let e = check_value(HeaderName::MaxForwards, buf, &buf[14..]).unwrap_err();
        assert_eq!(e.offset, 14);
    }
}
