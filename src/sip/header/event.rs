//! Event (RFC 6665) and Subscription-State: which event package a SUBSCRIBE/NOTIFY is about
//! and where the subscription stands.

use crate::sip::charset::is_token;
use crate::sip::error::{Error, IResult, complete_in, expected};
use crate::sip::lexical::sws;
use crate::sip::params::{Params, header_params};
use crate::sip::span::Span;
use crate::sip::text::Text;

/// A token followed by header parameters: the shape shared by Event and Subscription-State.
fn token_params<'a>(base: &'a [u8], i: &'a [u8]) -> IResult<'a, (Text<'a>, Params<'a>, Text<'a>)> {
    let start = sws(i);
    let n = start
        .iter()
        .position(|b| !is_token(*b))
        .unwrap_or(start.len());
    if n == 0 {
        return expected(start, "a token");
    }
    let (t, r) = start.split_at(n);
    let (r, params) = header_params(base, r)?;
    let raw = start.get(..start.len() - r.len()).unwrap_or_default();
    Ok((r, (Text(t), params, Text(raw))))
}

/// An Event value: `presence;id=1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Event<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// The event package (`presence`, `dialog`, `refer`, `message-summary`...).
    pub package: Text<'a>,
    /// Parameters (`id`...).
    pub params: Params<'a>,
}

impl<'a> Event<'a> {
    /// Parses an Event value.
    pub fn from_slice(i: &'a [u8]) -> Result<Event<'a>, Error> {
        complete_in(i, i, "an Event value", |b, i| {
            let (r, (package, params, raw)) = token_params(b, i)?;
            Ok((
                r,
                Event {
                    raw,
                    span: Span::of(b, raw.as_bytes()),
                    package,
                    params,
                },
            ))
        })
    }

    /// The `id` parameter, which tells subscriptions of one dialog apart.
    pub fn id(&self) -> Option<Text<'a>> {
        self.params.value("id").flatten()
    }
}

/// A Subscription-State value: `active;expires=3600`, `terminated;reason=timeout`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SubscriptionState<'a> {
    /// The value as written.
    pub raw: Text<'a>,
    /// Where it sits in the buffer it was parsed from.
    pub span: Span,
    /// `active`, `pending`, `terminated` or an extension.
    pub state: Text<'a>,
    /// Parameters (`expires`, `reason`, `retry-after`).
    pub params: Params<'a>,
}

impl<'a> SubscriptionState<'a> {
    /// Parses a Subscription-State value.
    pub fn from_slice(i: &'a [u8]) -> Result<SubscriptionState<'a>, Error> {
        complete_in(i, i, "a Subscription-State value", |b, i| {
            let (r, (state, params, raw)) = token_params(b, i)?;
            Ok((
                r,
                SubscriptionState {
                    raw,
                    span: Span::of(b, raw.as_bytes()),
                    state,
                    params,
                },
            ))
        })
    }

    /// The `expires` parameter in seconds.
    pub fn expires(&self) -> Option<u32> {
        self.params
            .value("expires")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }

    /// The `reason` parameter of a terminated subscription.
    pub fn reason(&self) -> Option<Text<'a>> {
        self.params.value("reason").flatten()
    }

    /// The `retry-after` parameter in seconds.
    pub fn retry_after(&self) -> Option<u32> {
        self.params
            .value("retry-after")
            .flatten()
            .and_then(|v| v.to_str()?.parse().ok())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values() {
        let e = Event::from_slice(b"presence;id=7").unwrap();
        assert_eq!(e.package, "presence");
        assert_eq!(e.id().unwrap(), "7");
        let s = SubscriptionState::from_slice(b"terminated;reason=timeout;retry-after=30").unwrap();
        assert_eq!(s.state, "terminated");
        assert_eq!(s.reason().unwrap(), "timeout");
        assert_eq!(s.retry_after(), Some(30));
        assert_eq!(
            SubscriptionState::from_slice(b"active;expires=60")
                .unwrap()
                .expires(),
            Some(60)
        );
        assert!(Event::from_slice(b";x").is_err());
    }
}
