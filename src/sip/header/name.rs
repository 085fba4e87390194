//! Header names: every header sipladder knows, with its compact form and defining document.
//!
//! Names match case-insensitively and compact forms (`v`, `i`, `m`...) map to the same
//! variant, so the rest of the crate never compares header-name strings.

use std::fmt;

/// A header name. Known headers are variants; anything else is kept as written.
///
/// Two `Other` names compare equal only when written identically; use
/// [`HeaderName::matches`] for a case-insensitive test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HeaderName<'a> {
    /// `Accept` (RFC 3261 §20.1).
    Accept,
    /// `Accept-Contact` (RFC 3841, compact form `a`).
    AcceptContact,
    /// `Accept-Encoding` (RFC 3261 §20.2).
    AcceptEncoding,
    /// `Accept-Language` (RFC 3261 §20.3).
    AcceptLanguage,
    /// `Accept-Resource-Priority` (RFC 4412).
    AcceptResourcePriority,
    /// `Alert-Info` (RFC 3261 §20.4).
    AlertInfo,
    /// `Allow` (RFC 3261 §20.5).
    Allow,
    /// `Allow-Events` (RFC 6665, compact form `u`).
    AllowEvents,
    /// `Authentication-Info` (RFC 3261 §20.6).
    AuthenticationInfo,
    /// `Authorization` (RFC 3261 §20.7).
    Authorization,
    /// `Call-ID` (RFC 3261 §20.8, compact form `i`).
    CallId,
    /// `Call-Info` (RFC 3261 §20.9).
    CallInfo,
    /// `Contact` (RFC 3261 §20.10, compact form `m`).
    Contact,
    /// `Content-Disposition` (RFC 3261 §20.11).
    ContentDisposition,
    /// `Content-Encoding` (RFC 3261 §20.12, compact form `e`).
    ContentEncoding,
    /// `Content-Language` (RFC 3261 §20.13).
    ContentLanguage,
    /// `Content-Length` (RFC 3261 §20.14, compact form `l`).
    ContentLength,
    /// `Content-Transfer-Encoding` (RFC 2045).
    ContentTransferEncoding,
    /// `Content-Type` (RFC 3261 §20.15, compact form `c`).
    ContentType,
    /// `CSeq` (RFC 3261 §20.16).
    CSeq,
    /// `Date` (RFC 3261 §20.17).
    Date,
    /// `Diversion` (RFC 5806).
    Diversion,
    /// `Error-Info` (RFC 3261 §20.18).
    ErrorInfo,
    /// `Event` (RFC 6665, compact form `o`).
    Event,
    /// `Expires` (RFC 3261 §20.19).
    Expires,
    /// `Flow-Timer` (RFC 5626).
    FlowTimer,
    /// `From` (RFC 3261 §20.20, compact form `f`).
    From,
    /// `Geolocation` (RFC 6442).
    Geolocation,
    /// `History-Info` (RFC 7044).
    HistoryInfo,
    /// `Identity` (RFC 8224, compact form `y`).
    Identity,
    /// `Identity-Info` (RFC 4474, compact form `n`).
    IdentityInfo,
    /// `In-Reply-To` (RFC 3261 §20.21).
    InReplyTo,
    /// `Join` (RFC 3911).
    Join,
    /// `Max-Breadth` (RFC 5393).
    MaxBreadth,
    /// `Max-Forwards` (RFC 3261 §20.22).
    MaxForwards,
    /// `MIME-Version` (RFC 3261 §20.24).
    MimeVersion,
    /// `Min-Expires` (RFC 3261 §20.23).
    MinExpires,
    /// `Min-SE` (RFC 4028).
    MinSe,
    /// `Organization` (RFC 3261 §20.25).
    Organization,
    /// `P-Access-Network-Info` (RFC 7315).
    PAccessNetworkInfo,
    /// `P-Asserted-Identity` (RFC 3325).
    PAssertedIdentity,
    /// `P-Associated-URI` (RFC 7315).
    PAssociatedUri,
    /// `P-Called-Party-ID` (RFC 7315).
    PCalledPartyId,
    /// `P-Charging-Function-Addresses` (RFC 7315).
    PChargingFunctionAddresses,
    /// `P-Charging-Vector` (RFC 7315).
    PChargingVector,
    /// `P-Preferred-Identity` (RFC 3325).
    PPreferredIdentity,
    /// `P-Visited-Network-ID` (RFC 7315).
    PVisitedNetworkId,
    /// `Path` (RFC 3327).
    Path,
    /// `Priority` (RFC 3261 §20.26).
    Priority,
    /// `Privacy` (RFC 3323).
    Privacy,
    /// `Proxy-Authenticate` (RFC 3261 §20.27).
    ProxyAuthenticate,
    /// `Proxy-Authorization` (RFC 3261 §20.28).
    ProxyAuthorization,
    /// `Proxy-Require` (RFC 3261 §20.29).
    ProxyRequire,
    /// `RAck` (RFC 3262).
    RAck,
    /// `Reason` (RFC 3326).
    Reason,
    /// `Record-Route` (RFC 3261 §20.30).
    RecordRoute,
    /// `Refer-Sub` (RFC 4488).
    ReferSub,
    /// `Refer-To` (RFC 3515, compact form `r`).
    ReferTo,
    /// `Referred-By` (RFC 3892, compact form `b`).
    ReferredBy,
    /// `Reject-Contact` (RFC 3841, compact form `j`).
    RejectContact,
    /// `Replaces` (RFC 3891).
    Replaces,
    /// `Reply-To` (RFC 3261 §20.31).
    ReplyTo,
    /// `Request-Disposition` (RFC 3841, compact form `d`).
    RequestDisposition,
    /// `Require` (RFC 3261 §20.32).
    Require,
    /// `Resource-Priority` (RFC 4412).
    ResourcePriority,
    /// `Retry-After` (RFC 3261 §20.33).
    RetryAfter,
    /// `Route` (RFC 3261 §20.34).
    Route,
    /// `RSeq` (RFC 3262).
    RSeq,
    /// `Security-Client` (RFC 3329).
    SecurityClient,
    /// `Security-Server` (RFC 3329).
    SecurityServer,
    /// `Security-Verify` (RFC 3329).
    SecurityVerify,
    /// `Server` (RFC 3261 §20.35).
    Server,
    /// `Service-Route` (RFC 3608).
    ServiceRoute,
    /// `Session-Expires` (RFC 4028, compact form `x`).
    SessionExpires,
    /// `SIP-ETag` (RFC 3903).
    SipEtag,
    /// `SIP-If-Match` (RFC 3903).
    SipIfMatch,
    /// `Subject` (RFC 3261 §20.36, compact form `s`).
    Subject,
    /// `Subscription-State` (RFC 6665).
    SubscriptionState,
    /// `Supported` (RFC 3261 §20.37, compact form `k`).
    Supported,
    /// `Timestamp` (RFC 3261 §20.38).
    Timestamp,
    /// `To` (RFC 3261 §20.39, compact form `t`).
    To,
    /// `Unsupported` (RFC 3261 §20.40).
    Unsupported,
    /// `User-Agent` (RFC 3261 §20.41).
    UserAgent,
    /// `Via` (RFC 3261 §20.42, compact form `v`).
    Via,
    /// `Warning` (RFC 3261 §20.43).
    Warning,
    /// `WWW-Authenticate` (RFC 3261 §20.44).
    WwwAuthenticate,
    /// Any other header, with its name as written.
    Other(&'a str),
}

impl<'a> HeaderName<'a> {
    /// Every known header name, in alphabetical order of the canonical name.
    pub const KNOWN: &'static [HeaderName<'static>] = &[
        HeaderName::Accept,
        HeaderName::AcceptContact,
        HeaderName::AcceptEncoding,
        HeaderName::AcceptLanguage,
        HeaderName::AcceptResourcePriority,
        HeaderName::AlertInfo,
        HeaderName::Allow,
        HeaderName::AllowEvents,
        HeaderName::AuthenticationInfo,
        HeaderName::Authorization,
        HeaderName::CallId,
        HeaderName::CallInfo,
        HeaderName::Contact,
        HeaderName::ContentDisposition,
        HeaderName::ContentEncoding,
        HeaderName::ContentLanguage,
        HeaderName::ContentLength,
        HeaderName::ContentTransferEncoding,
        HeaderName::ContentType,
        HeaderName::CSeq,
        HeaderName::Date,
        HeaderName::Diversion,
        HeaderName::ErrorInfo,
        HeaderName::Event,
        HeaderName::Expires,
        HeaderName::FlowTimer,
        HeaderName::From,
        HeaderName::Geolocation,
        HeaderName::HistoryInfo,
        HeaderName::Identity,
        HeaderName::IdentityInfo,
        HeaderName::InReplyTo,
        HeaderName::Join,
        HeaderName::MaxBreadth,
        HeaderName::MaxForwards,
        HeaderName::MimeVersion,
        HeaderName::MinExpires,
        HeaderName::MinSe,
        HeaderName::Organization,
        HeaderName::PAccessNetworkInfo,
        HeaderName::PAssertedIdentity,
        HeaderName::PAssociatedUri,
        HeaderName::PCalledPartyId,
        HeaderName::PChargingFunctionAddresses,
        HeaderName::PChargingVector,
        HeaderName::PPreferredIdentity,
        HeaderName::PVisitedNetworkId,
        HeaderName::Path,
        HeaderName::Priority,
        HeaderName::Privacy,
        HeaderName::ProxyAuthenticate,
        HeaderName::ProxyAuthorization,
        HeaderName::ProxyRequire,
        HeaderName::RAck,
        HeaderName::Reason,
        HeaderName::RecordRoute,
        HeaderName::ReferSub,
        HeaderName::ReferTo,
        HeaderName::ReferredBy,
        HeaderName::RejectContact,
        HeaderName::Replaces,
        HeaderName::ReplyTo,
        HeaderName::RequestDisposition,
        HeaderName::Require,
        HeaderName::ResourcePriority,
        HeaderName::RetryAfter,
        HeaderName::Route,
        HeaderName::RSeq,
        HeaderName::SecurityClient,
        HeaderName::SecurityServer,
        HeaderName::SecurityVerify,
        HeaderName::Server,
        HeaderName::ServiceRoute,
        HeaderName::SessionExpires,
        HeaderName::SipEtag,
        HeaderName::SipIfMatch,
        HeaderName::Subject,
        HeaderName::SubscriptionState,
        HeaderName::Supported,
        HeaderName::Timestamp,
        HeaderName::To,
        HeaderName::Unsupported,
        HeaderName::UserAgent,
        HeaderName::Via,
        HeaderName::Warning,
        HeaderName::WwwAuthenticate,
    ];

    /// Recognises a header name (long or compact form, any case). `name` must already be a
    /// valid token; unknown names become [`HeaderName::Other`].
    pub fn from_name(name: &'a str) -> Self {
        lookup(name.as_bytes()).unwrap_or(HeaderName::Other(name))
    }

    /// Recognises a header name given as bytes; unknown names that are not valid UTF-8
    /// become `Other("?")` (token characters are ASCII, so this does not happen for names the
    /// header splitter accepted).
    pub fn from_bytes(name: &'a [u8]) -> Self {
        match lookup(name) {
            Some(h) => h,
            None => HeaderName::Other(std::str::from_utf8(name).unwrap_or("?")),
        }
    }

    /// The canonical spelling (`Call-ID`, `WWW-Authenticate`), or the name as written for
    /// unknown headers.
    pub fn as_str(&self) -> &'a str {
        match self {
            HeaderName::Accept => "Accept",
            HeaderName::AcceptContact => "Accept-Contact",
            HeaderName::AcceptEncoding => "Accept-Encoding",
            HeaderName::AcceptLanguage => "Accept-Language",
            HeaderName::AcceptResourcePriority => "Accept-Resource-Priority",
            HeaderName::AlertInfo => "Alert-Info",
            HeaderName::Allow => "Allow",
            HeaderName::AllowEvents => "Allow-Events",
            HeaderName::AuthenticationInfo => "Authentication-Info",
            HeaderName::Authorization => "Authorization",
            HeaderName::CallId => "Call-ID",
            HeaderName::CallInfo => "Call-Info",
            HeaderName::Contact => "Contact",
            HeaderName::ContentDisposition => "Content-Disposition",
            HeaderName::ContentEncoding => "Content-Encoding",
            HeaderName::ContentLanguage => "Content-Language",
            HeaderName::ContentLength => "Content-Length",
            HeaderName::ContentTransferEncoding => "Content-Transfer-Encoding",
            HeaderName::ContentType => "Content-Type",
            HeaderName::CSeq => "CSeq",
            HeaderName::Date => "Date",
            HeaderName::Diversion => "Diversion",
            HeaderName::ErrorInfo => "Error-Info",
            HeaderName::Event => "Event",
            HeaderName::Expires => "Expires",
            HeaderName::FlowTimer => "Flow-Timer",
            HeaderName::From => "From",
            HeaderName::Geolocation => "Geolocation",
            HeaderName::HistoryInfo => "History-Info",
            HeaderName::Identity => "Identity",
            HeaderName::IdentityInfo => "Identity-Info",
            HeaderName::InReplyTo => "In-Reply-To",
            HeaderName::Join => "Join",
            HeaderName::MaxBreadth => "Max-Breadth",
            HeaderName::MaxForwards => "Max-Forwards",
            HeaderName::MimeVersion => "MIME-Version",
            HeaderName::MinExpires => "Min-Expires",
            HeaderName::MinSe => "Min-SE",
            HeaderName::Organization => "Organization",
            HeaderName::PAccessNetworkInfo => "P-Access-Network-Info",
            HeaderName::PAssertedIdentity => "P-Asserted-Identity",
            HeaderName::PAssociatedUri => "P-Associated-URI",
            HeaderName::PCalledPartyId => "P-Called-Party-ID",
            HeaderName::PChargingFunctionAddresses => "P-Charging-Function-Addresses",
            HeaderName::PChargingVector => "P-Charging-Vector",
            HeaderName::PPreferredIdentity => "P-Preferred-Identity",
            HeaderName::PVisitedNetworkId => "P-Visited-Network-ID",
            HeaderName::Path => "Path",
            HeaderName::Priority => "Priority",
            HeaderName::Privacy => "Privacy",
            HeaderName::ProxyAuthenticate => "Proxy-Authenticate",
            HeaderName::ProxyAuthorization => "Proxy-Authorization",
            HeaderName::ProxyRequire => "Proxy-Require",
            HeaderName::RAck => "RAck",
            HeaderName::Reason => "Reason",
            HeaderName::RecordRoute => "Record-Route",
            HeaderName::ReferSub => "Refer-Sub",
            HeaderName::ReferTo => "Refer-To",
            HeaderName::ReferredBy => "Referred-By",
            HeaderName::RejectContact => "Reject-Contact",
            HeaderName::Replaces => "Replaces",
            HeaderName::ReplyTo => "Reply-To",
            HeaderName::RequestDisposition => "Request-Disposition",
            HeaderName::Require => "Require",
            HeaderName::ResourcePriority => "Resource-Priority",
            HeaderName::RetryAfter => "Retry-After",
            HeaderName::Route => "Route",
            HeaderName::RSeq => "RSeq",
            HeaderName::SecurityClient => "Security-Client",
            HeaderName::SecurityServer => "Security-Server",
            HeaderName::SecurityVerify => "Security-Verify",
            HeaderName::Server => "Server",
            HeaderName::ServiceRoute => "Service-Route",
            HeaderName::SessionExpires => "Session-Expires",
            HeaderName::SipEtag => "SIP-ETag",
            HeaderName::SipIfMatch => "SIP-If-Match",
            HeaderName::Subject => "Subject",
            HeaderName::SubscriptionState => "Subscription-State",
            HeaderName::Supported => "Supported",
            HeaderName::Timestamp => "Timestamp",
            HeaderName::To => "To",
            HeaderName::Unsupported => "Unsupported",
            HeaderName::UserAgent => "User-Agent",
            HeaderName::Via => "Via",
            HeaderName::Warning => "Warning",
            HeaderName::WwwAuthenticate => "WWW-Authenticate",
            HeaderName::Other(s) => s,
        }
    }

    /// The compact form, for headers that have one.
    pub fn compact(&self) -> Option<char> {
        match self {
            HeaderName::AcceptContact => Some('a'),
            HeaderName::AllowEvents => Some('u'),
            HeaderName::CallId => Some('i'),
            HeaderName::Contact => Some('m'),
            HeaderName::ContentEncoding => Some('e'),
            HeaderName::ContentLength => Some('l'),
            HeaderName::ContentType => Some('c'),
            HeaderName::Event => Some('o'),
            HeaderName::From => Some('f'),
            HeaderName::Identity => Some('y'),
            HeaderName::IdentityInfo => Some('n'),
            HeaderName::ReferTo => Some('r'),
            HeaderName::ReferredBy => Some('b'),
            HeaderName::RejectContact => Some('j'),
            HeaderName::RequestDisposition => Some('d'),
            HeaderName::SessionExpires => Some('x'),
            HeaderName::Subject => Some('s'),
            HeaderName::Supported => Some('k'),
            HeaderName::To => Some('t'),
            HeaderName::Via => Some('v'),
            _ => None,
        }
    }

    /// The document that defines the header ("RFC 3261 §20.42").
    pub fn reference(&self) -> Option<&'static str> {
        match self {
            HeaderName::Accept => Some("RFC 3261 §20.1"),
            HeaderName::AcceptContact => Some("RFC 3841"),
            HeaderName::AcceptEncoding => Some("RFC 3261 §20.2"),
            HeaderName::AcceptLanguage => Some("RFC 3261 §20.3"),
            HeaderName::AcceptResourcePriority => Some("RFC 4412"),
            HeaderName::AlertInfo => Some("RFC 3261 §20.4"),
            HeaderName::Allow => Some("RFC 3261 §20.5"),
            HeaderName::AllowEvents => Some("RFC 6665"),
            HeaderName::AuthenticationInfo => Some("RFC 3261 §20.6"),
            HeaderName::Authorization => Some("RFC 3261 §20.7"),
            HeaderName::CallId => Some("RFC 3261 §20.8"),
            HeaderName::CallInfo => Some("RFC 3261 §20.9"),
            HeaderName::Contact => Some("RFC 3261 §20.10"),
            HeaderName::ContentDisposition => Some("RFC 3261 §20.11"),
            HeaderName::ContentEncoding => Some("RFC 3261 §20.12"),
            HeaderName::ContentLanguage => Some("RFC 3261 §20.13"),
            HeaderName::ContentLength => Some("RFC 3261 §20.14"),
            HeaderName::ContentTransferEncoding => Some("RFC 2045"),
            HeaderName::ContentType => Some("RFC 3261 §20.15"),
            HeaderName::CSeq => Some("RFC 3261 §20.16"),
            HeaderName::Date => Some("RFC 3261 §20.17"),
            HeaderName::Diversion => Some("RFC 5806"),
            HeaderName::ErrorInfo => Some("RFC 3261 §20.18"),
            HeaderName::Event => Some("RFC 6665"),
            HeaderName::Expires => Some("RFC 3261 §20.19"),
            HeaderName::FlowTimer => Some("RFC 5626"),
            HeaderName::From => Some("RFC 3261 §20.20"),
            HeaderName::Geolocation => Some("RFC 6442"),
            HeaderName::HistoryInfo => Some("RFC 7044"),
            HeaderName::Identity => Some("RFC 8224"),
            HeaderName::IdentityInfo => Some("RFC 4474"),
            HeaderName::InReplyTo => Some("RFC 3261 §20.21"),
            HeaderName::Join => Some("RFC 3911"),
            HeaderName::MaxBreadth => Some("RFC 5393"),
            HeaderName::MaxForwards => Some("RFC 3261 §20.22"),
            HeaderName::MimeVersion => Some("RFC 3261 §20.24"),
            HeaderName::MinExpires => Some("RFC 3261 §20.23"),
            HeaderName::MinSe => Some("RFC 4028"),
            HeaderName::Organization => Some("RFC 3261 §20.25"),
            HeaderName::PAccessNetworkInfo => Some("RFC 7315"),
            HeaderName::PAssertedIdentity => Some("RFC 3325"),
            HeaderName::PAssociatedUri => Some("RFC 7315"),
            HeaderName::PCalledPartyId => Some("RFC 7315"),
            HeaderName::PChargingFunctionAddresses => Some("RFC 7315"),
            HeaderName::PChargingVector => Some("RFC 7315"),
            HeaderName::PPreferredIdentity => Some("RFC 3325"),
            HeaderName::PVisitedNetworkId => Some("RFC 7315"),
            HeaderName::Path => Some("RFC 3327"),
            HeaderName::Priority => Some("RFC 3261 §20.26"),
            HeaderName::Privacy => Some("RFC 3323"),
            HeaderName::ProxyAuthenticate => Some("RFC 3261 §20.27"),
            HeaderName::ProxyAuthorization => Some("RFC 3261 §20.28"),
            HeaderName::ProxyRequire => Some("RFC 3261 §20.29"),
            HeaderName::RAck => Some("RFC 3262"),
            HeaderName::Reason => Some("RFC 3326"),
            HeaderName::RecordRoute => Some("RFC 3261 §20.30"),
            HeaderName::ReferSub => Some("RFC 4488"),
            HeaderName::ReferTo => Some("RFC 3515"),
            HeaderName::ReferredBy => Some("RFC 3892"),
            HeaderName::RejectContact => Some("RFC 3841"),
            HeaderName::Replaces => Some("RFC 3891"),
            HeaderName::ReplyTo => Some("RFC 3261 §20.31"),
            HeaderName::RequestDisposition => Some("RFC 3841"),
            HeaderName::Require => Some("RFC 3261 §20.32"),
            HeaderName::ResourcePriority => Some("RFC 4412"),
            HeaderName::RetryAfter => Some("RFC 3261 §20.33"),
            HeaderName::Route => Some("RFC 3261 §20.34"),
            HeaderName::RSeq => Some("RFC 3262"),
            HeaderName::SecurityClient => Some("RFC 3329"),
            HeaderName::SecurityServer => Some("RFC 3329"),
            HeaderName::SecurityVerify => Some("RFC 3329"),
            HeaderName::Server => Some("RFC 3261 §20.35"),
            HeaderName::ServiceRoute => Some("RFC 3608"),
            HeaderName::SessionExpires => Some("RFC 4028"),
            HeaderName::SipEtag => Some("RFC 3903"),
            HeaderName::SipIfMatch => Some("RFC 3903"),
            HeaderName::Subject => Some("RFC 3261 §20.36"),
            HeaderName::SubscriptionState => Some("RFC 6665"),
            HeaderName::Supported => Some("RFC 3261 §20.37"),
            HeaderName::Timestamp => Some("RFC 3261 §20.38"),
            HeaderName::To => Some("RFC 3261 §20.39"),
            HeaderName::Unsupported => Some("RFC 3261 §20.40"),
            HeaderName::UserAgent => Some("RFC 3261 §20.41"),
            HeaderName::Via => Some("RFC 3261 §20.42"),
            HeaderName::Warning => Some("RFC 3261 §20.43"),
            HeaderName::WwwAuthenticate => Some("RFC 3261 §20.44"),
            HeaderName::Other(_) => None,
        }
    }

    /// True when the grammar allows several comma-separated values in one header line, so
    /// that `Via: a, b` means the same as two `Via` lines.
    pub fn is_list(&self) -> bool {
        matches!(
            self,
            HeaderName::Accept
                | HeaderName::AcceptContact
                | HeaderName::AcceptEncoding
                | HeaderName::AcceptLanguage
                | HeaderName::AcceptResourcePriority
                | HeaderName::AlertInfo
                | HeaderName::Allow
                | HeaderName::AllowEvents
                | HeaderName::CallInfo
                | HeaderName::Contact
                | HeaderName::ContentEncoding
                | HeaderName::ContentLanguage
                | HeaderName::Diversion
                | HeaderName::ErrorInfo
                | HeaderName::Geolocation
                | HeaderName::HistoryInfo
                | HeaderName::InReplyTo
                | HeaderName::PAssertedIdentity
                | HeaderName::PAssociatedUri
                | HeaderName::PPreferredIdentity
                | HeaderName::PVisitedNetworkId
                | HeaderName::Path
                | HeaderName::ProxyRequire
                | HeaderName::Reason
                | HeaderName::RecordRoute
                | HeaderName::RejectContact
                | HeaderName::RequestDisposition
                | HeaderName::Require
                | HeaderName::ResourcePriority
                | HeaderName::Route
                | HeaderName::SecurityClient
                | HeaderName::SecurityServer
                | HeaderName::SecurityVerify
                | HeaderName::ServiceRoute
                | HeaderName::Supported
                | HeaderName::Unsupported
                | HeaderName::Via
                | HeaderName::Warning
        )
    }

    /// True for known headers.
    pub fn is_known(&self) -> bool {
        !matches!(self, HeaderName::Other(_))
    }

    /// Case-insensitive comparison that also works for unknown names.
    pub fn matches(&self, other: &HeaderName<'_>) -> bool {
        match (self, other) {
            (HeaderName::Other(a), HeaderName::Other(b)) => a.eq_ignore_ascii_case(b),
            (a, b) => a == b,
        }
    }
}

impl fmt::Display for HeaderName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[inline]
fn eq(a: &[u8], lower: &[u8]) -> bool {
    a.eq_ignore_ascii_case(lower)
}

/// Finds a known header by length first, then by case-insensitive comparison.
fn lookup(n: &[u8]) -> Option<HeaderName<'static>> {
    let first = n.first().map_or(0, u8::to_ascii_lowercase);
    let h = match (n.len(), first) {
        (1, _) => match first {
            b'a' => HeaderName::AcceptContact,
            b'u' => HeaderName::AllowEvents,
            b'i' => HeaderName::CallId,
            b'm' => HeaderName::Contact,
            b'e' => HeaderName::ContentEncoding,
            b'l' => HeaderName::ContentLength,
            b'c' => HeaderName::ContentType,
            b'o' => HeaderName::Event,
            b'f' => HeaderName::From,
            b'y' => HeaderName::Identity,
            b'n' => HeaderName::IdentityInfo,
            b'r' => HeaderName::ReferTo,
            b'b' => HeaderName::ReferredBy,
            b'j' => HeaderName::RejectContact,
            b'd' => HeaderName::RequestDisposition,
            b'x' => HeaderName::SessionExpires,
            b's' => HeaderName::Subject,
            b'k' => HeaderName::Supported,
            b't' => HeaderName::To,
            b'v' => HeaderName::Via,
            _ => return None,
        },
        (2, b't') if eq(n, b"to") => HeaderName::To,
        (3, b'v') if eq(n, b"via") => HeaderName::Via,
        (4, b'c') if eq(n, b"cseq") => HeaderName::CSeq,
        (4, b'd') if eq(n, b"date") => HeaderName::Date,
        (4, b'f') if eq(n, b"from") => HeaderName::From,
        (4, b'j') if eq(n, b"join") => HeaderName::Join,
        (4, b'p') if eq(n, b"path") => HeaderName::Path,
        (4, b'r') if eq(n, b"rack") => HeaderName::RAck,
        (4, b'r') if eq(n, b"rseq") => HeaderName::RSeq,
        (5, b'a') if eq(n, b"allow") => HeaderName::Allow,
        (5, b'e') if eq(n, b"event") => HeaderName::Event,
        (5, b'r') if eq(n, b"route") => HeaderName::Route,
        (6, b'a') if eq(n, b"accept") => HeaderName::Accept,
        (6, b'm') if eq(n, b"min-se") => HeaderName::MinSe,
        (6, b'r') if eq(n, b"reason") => HeaderName::Reason,
        (6, b's') if eq(n, b"server") => HeaderName::Server,
        (7, b'c') if eq(n, b"call-id") => HeaderName::CallId,
        (7, b'c') if eq(n, b"contact") => HeaderName::Contact,
        (7, b'e') if eq(n, b"expires") => HeaderName::Expires,
        (7, b'p') if eq(n, b"privacy") => HeaderName::Privacy,
        (7, b'r') if eq(n, b"require") => HeaderName::Require,
        (7, b's') if eq(n, b"subject") => HeaderName::Subject,
        (7, b'w') if eq(n, b"warning") => HeaderName::Warning,
        (8, b'i') if eq(n, b"identity") => HeaderName::Identity,
        (8, b'p') if eq(n, b"priority") => HeaderName::Priority,
        (8, b'r') if eq(n, b"refer-to") => HeaderName::ReferTo,
        (8, b'r') if eq(n, b"replaces") => HeaderName::Replaces,
        (8, b'r') if eq(n, b"reply-to") => HeaderName::ReplyTo,
        (8, b's') if eq(n, b"sip-etag") => HeaderName::SipEtag,
        (9, b'c') if eq(n, b"call-info") => HeaderName::CallInfo,
        (9, b'd') if eq(n, b"diversion") => HeaderName::Diversion,
        (9, b'r') if eq(n, b"refer-sub") => HeaderName::ReferSub,
        (9, b's') if eq(n, b"supported") => HeaderName::Supported,
        (9, b't') if eq(n, b"timestamp") => HeaderName::Timestamp,
        (10, b'a') if eq(n, b"alert-info") => HeaderName::AlertInfo,
        (10, b'e') if eq(n, b"error-info") => HeaderName::ErrorInfo,
        (10, b'f') if eq(n, b"flow-timer") => HeaderName::FlowTimer,
        (10, b'u') if eq(n, b"user-agent") => HeaderName::UserAgent,
        (11, b'g') if eq(n, b"geolocation") => HeaderName::Geolocation,
        (11, b'i') if eq(n, b"in-reply-to") => HeaderName::InReplyTo,
        (11, b'm') if eq(n, b"max-breadth") => HeaderName::MaxBreadth,
        (11, b'm') if eq(n, b"min-expires") => HeaderName::MinExpires,
        (11, b'r') if eq(n, b"referred-by") => HeaderName::ReferredBy,
        (11, b'r') if eq(n, b"retry-after") => HeaderName::RetryAfter,
        (11, b'u') if eq(n, b"unsupported") => HeaderName::Unsupported,
        (12, b'a') if eq(n, b"allow-events") => HeaderName::AllowEvents,
        (12, b'c') if eq(n, b"content-type") => HeaderName::ContentType,
        (12, b'h') if eq(n, b"history-info") => HeaderName::HistoryInfo,
        (12, b'm') if eq(n, b"max-forwards") => HeaderName::MaxForwards,
        (12, b'm') if eq(n, b"mime-version") => HeaderName::MimeVersion,
        (12, b'o') if eq(n, b"organization") => HeaderName::Organization,
        (12, b'r') if eq(n, b"record-route") => HeaderName::RecordRoute,
        (12, b's') if eq(n, b"sip-if-match") => HeaderName::SipIfMatch,
        (13, b'a') if eq(n, b"authorization") => HeaderName::Authorization,
        (13, b'i') if eq(n, b"identity-info") => HeaderName::IdentityInfo,
        (13, b'p') if eq(n, b"proxy-require") => HeaderName::ProxyRequire,
        (13, b's') if eq(n, b"service-route") => HeaderName::ServiceRoute,
        (14, b'a') if eq(n, b"accept-contact") => HeaderName::AcceptContact,
        (14, b'c') if eq(n, b"content-length") => HeaderName::ContentLength,
        (14, b'r') if eq(n, b"reject-contact") => HeaderName::RejectContact,
        (15, b'a') if eq(n, b"accept-encoding") => HeaderName::AcceptEncoding,
        (15, b'a') if eq(n, b"accept-language") => HeaderName::AcceptLanguage,
        (15, b's') if eq(n, b"security-client") => HeaderName::SecurityClient,
        (15, b's') if eq(n, b"security-server") => HeaderName::SecurityServer,
        (15, b's') if eq(n, b"security-verify") => HeaderName::SecurityVerify,
        (15, b's') if eq(n, b"session-expires") => HeaderName::SessionExpires,
        (16, b'c') if eq(n, b"content-encoding") => HeaderName::ContentEncoding,
        (16, b'c') if eq(n, b"content-language") => HeaderName::ContentLanguage,
        (16, b'p') if eq(n, b"p-associated-uri") => HeaderName::PAssociatedUri,
        (16, b'w') if eq(n, b"www-authenticate") => HeaderName::WwwAuthenticate,
        (17, b'p') if eq(n, b"p-called-party-id") => HeaderName::PCalledPartyId,
        (17, b'p') if eq(n, b"p-charging-vector") => HeaderName::PChargingVector,
        (17, b'r') if eq(n, b"resource-priority") => HeaderName::ResourcePriority,
        (18, b'p') if eq(n, b"proxy-authenticate") => HeaderName::ProxyAuthenticate,
        (18, b's') if eq(n, b"subscription-state") => HeaderName::SubscriptionState,
        (19, b'a') if eq(n, b"authentication-info") => HeaderName::AuthenticationInfo,
        (19, b'c') if eq(n, b"content-disposition") => HeaderName::ContentDisposition,
        (19, b'p') if eq(n, b"p-asserted-identity") => HeaderName::PAssertedIdentity,
        (19, b'p') if eq(n, b"proxy-authorization") => HeaderName::ProxyAuthorization,
        (19, b'r') if eq(n, b"request-disposition") => HeaderName::RequestDisposition,
        (20, b'p') if eq(n, b"p-preferred-identity") => HeaderName::PPreferredIdentity,
        (20, b'p') if eq(n, b"p-visited-network-id") => HeaderName::PVisitedNetworkId,
        (21, b'p') if eq(n, b"p-access-network-info") => HeaderName::PAccessNetworkInfo,
        (24, b'a') if eq(n, b"accept-resource-priority") => HeaderName::AcceptResourcePriority,
        (25, b'c') if eq(n, b"content-transfer-encoding") => HeaderName::ContentTransferEncoding,
        (29, b'p') if eq(n, b"p-charging-function-addresses") => {
            HeaderName::PChargingFunctionAddresses
        }
        _ => return None,
    };
    Some(h)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_known_name_round_trips() {
        for h in HeaderName::KNOWN {
            assert_eq!(HeaderName::from_name(h.as_str()), *h, "{h}");
            assert_eq!(HeaderName::from_name(&h.as_str().to_ascii_uppercase()), *h);
            assert_eq!(HeaderName::from_name(&h.as_str().to_ascii_lowercase()), *h);
            if let Some(c) = h.compact() {
                assert_eq!(HeaderName::from_name(&c.to_string()), *h);
                assert_eq!(
                    HeaderName::from_name(&c.to_ascii_uppercase().to_string()),
                    *h
                );
            }
        }
    }

    #[test]
    fn compact_forms_of_the_issue() {
        let expected = "imelcfsktvorubyxadj";
        for c in expected.chars() {
            assert!(HeaderName::from_name(&c.to_string()).is_known(), "{c}");
        }
        assert_eq!(
            HeaderName::from_name("MaX-fOrWaRdS"),
            HeaderName::MaxForwards
        );
        assert_eq!(
            HeaderName::from_name("C%6Fntact"),
            HeaderName::Other("C%6Fntact")
        );
        assert!(HeaderName::Other("X-A").matches(&HeaderName::Other("x-a")));
        assert!(HeaderName::Via.is_list() && !HeaderName::CallId.is_list());
    }
}
