//! SIP request methods: the registered ones by name, any other token kept as written.

use std::fmt;

/// A request method. Method names are case-sensitive (RFC 3261 §7.1), so `invite` is
/// `Other("invite")`, not [`Method::Invite`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Method<'a> {
    /// ACK (RFC 3261): confirms a final response to INVITE.
    Ack,
    /// BYE (RFC 3261): ends a dialog.
    Bye,
    /// CANCEL (RFC 3261): cancels a pending request.
    Cancel,
    /// INFO (RFC 6086): mid-dialog application information.
    Info,
    /// INVITE (RFC 3261): starts or modifies a session.
    Invite,
    /// MESSAGE (RFC 3428): instant message.
    Message,
    /// NOTIFY (RFC 6665): event notification.
    Notify,
    /// OPTIONS (RFC 3261): capability query.
    Options,
    /// PRACK (RFC 3262): acknowledges a reliable provisional response.
    Prack,
    /// PUBLISH (RFC 3903): publishes event state.
    Publish,
    /// REFER (RFC 3515): asks the recipient to contact a third party.
    Refer,
    /// REGISTER (RFC 3261): binds an address of record to contacts.
    Register,
    /// SUBSCRIBE (RFC 6665): subscribes to an event package.
    Subscribe,
    /// UPDATE (RFC 3311): updates session parameters before the dialog is confirmed.
    Update,
    /// Any other method token, as written.
    Other(&'a str),
}

impl<'a> Method<'a> {
    /// Recognises a method token; unknown ones become [`Method::Other`].
    pub fn from_token(t: &'a str) -> Self {
        match t {
            "ACK" => Method::Ack,
            "BYE" => Method::Bye,
            "CANCEL" => Method::Cancel,
            "INFO" => Method::Info,
            "INVITE" => Method::Invite,
            "MESSAGE" => Method::Message,
            "NOTIFY" => Method::Notify,
            "OPTIONS" => Method::Options,
            "PRACK" => Method::Prack,
            "PUBLISH" => Method::Publish,
            "REFER" => Method::Refer,
            "REGISTER" => Method::Register,
            "SUBSCRIBE" => Method::Subscribe,
            "UPDATE" => Method::Update,
            other => Method::Other(other),
        }
    }

    /// The method name as it appears on the wire.
    pub fn as_str(&self) -> &'a str {
        match self {
            Method::Ack => "ACK",
            Method::Bye => "BYE",
            Method::Cancel => "CANCEL",
            Method::Info => "INFO",
            Method::Invite => "INVITE",
            Method::Message => "MESSAGE",
            Method::Notify => "NOTIFY",
            Method::Options => "OPTIONS",
            Method::Prack => "PRACK",
            Method::Publish => "PUBLISH",
            Method::Refer => "REFER",
            Method::Register => "REGISTER",
            Method::Subscribe => "SUBSCRIBE",
            Method::Update => "UPDATE",
            Method::Other(s) => s,
        }
    }

    /// True for methods that can create a dialog (INVITE, SUBSCRIBE, REFER, NOTIFY).
    pub fn creates_dialog(&self) -> bool {
        matches!(
            self,
            Method::Invite | Method::Subscribe | Method::Refer | Method::Notify
        )
    }
}

impl fmt::Display for Method<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_and_other() {
        assert_eq!(Method::from_token("INVITE"), Method::Invite);
        assert_eq!(Method::from_token("invite"), Method::Other("invite"));
        assert_eq!(Method::from_token("RE%47IST%45R").as_str(), "RE%47IST%45R");
        assert_eq!(Method::Register.to_string(), "REGISTER");
    }
}
