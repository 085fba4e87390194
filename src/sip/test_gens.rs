//! proptest generators of SIP values, printed as text, shared by the round-trip tests.
//!
//! Each generator yields a structured value (owned strings) and prints it to the wire form
//! with optional extra white space where the grammar allows it; the tests parse the printed
//! form and compare the parts.

use proptest::prelude::*;

/// A generated host: (printed form, kind 0=name 1=IPv4 2=IPv6).
pub(crate) fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,8}(\\.[a-z][a-z0-9-]{0,8}){0,3}",
        (any::<u8>(), any::<u8>(), any::<u8>(), any::<u8>())
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        any::<[u16; 8]>().prop_map(|s| format!("[{}]", std::net::Ipv6Addr::from(s))),
    ]
}

/// A generated SIP URI and its parts.
#[derive(Debug, Clone)]
pub(crate) struct GenUri {
    pub(crate) sips: bool,
    pub(crate) user: Option<String>,
    pub(crate) password: Option<String>,
    pub(crate) host: String,
    pub(crate) port: Option<u16>,
    pub(crate) params: Vec<(String, Option<String>)>,
    pub(crate) headers: Option<String>,
}

impl GenUri {
    pub(crate) fn print(&self) -> String {
        let mut s = String::from(if self.sips { "sips:" } else { "sip:" });
        if let Some(u) = &self.user {
            s.push_str(u);
            if let Some(p) = &self.password {
                s.push(':');
                s.push_str(p);
            }
            s.push('@');
        }
        s.push_str(&self.host);
        if let Some(p) = self.port {
            s.push_str(&format!(":{p}"));
        }
        for (n, v) in &self.params {
            s.push(';');
            s.push_str(n);
            if let Some(v) = v {
                s.push('=');
                s.push_str(v);
            }
        }
        if let Some(h) = &self.headers {
            s.push('?');
            s.push_str(h);
        }
        s
    }
}

/// `full` allows URI parameters and headers (Request-URI or bracketed); otherwise the URI
/// fits a bare addr-spec.
pub(crate) fn sip_uri(full: bool) -> impl Strategy<Value = GenUri> {
    let user = if full {
        "[a-zA-Z0-9_.!~*'()&=+$,;?/-]{1,12}".boxed()
    } else {
        "[a-zA-Z0-9_.!~*'()&=+$/-]{1,12}".boxed()
    };
    (
        any::<bool>(),
        proptest::option::of((user, proptest::option::of("[a-zA-Z0-9&=+$,_.!~*'()-]{0,8}"))),
        host(),
        proptest::option::of(any::<u16>()),
        proptest::collection::vec(
            (
                "[a-z0-9-]{1,8}",
                proptest::option::of("[a-zA-Z0-9.:+$-]{1,8}"),
            ),
            0..4,
        ),
        proptest::option::of("[a-z]{1,5}=[a-zA-Z0-9%]{1,6}"),
    )
        .prop_map(move |(sips, ui, host, port, params, headers)| GenUri {
            sips,
            user: ui.as_ref().map(|u| u.0.clone()),
            password: ui.and_then(|u| u.1),
            host,
            port,
            params: if full { params } else { Vec::new() },
            headers: if full { headers } else { None },
        })
}

/// Optional linear white space, folding included.
pub(crate) fn lws() -> impl Strategy<Value = &'static str> {
    prop_oneof![
        Just(""),
        Just(" "),
        Just("  "),
        Just("\t"),
        Just(" \r\n "),
        Just("\r\n\t")
    ]
}

/// Header parameters `(name, value)` with tokens for values.
pub(crate) fn header_params() -> impl Strategy<Value = Vec<(String, Option<String>)>> {
    proptest::collection::vec(
        (
            "[a-zA-Z][a-zA-Z0-9-]{0,7}",
            proptest::option::of("[a-zA-Z0-9.!%*_+`'~-]{1,10}"),
        ),
        0..4,
    )
}

/// Prints parameters with white space around `;` and `=`.
pub(crate) fn print_params(params: &[(String, Option<String>)], ws: &str) -> String {
    let mut s = String::new();
    for (n, v) in params {
        s.push_str(ws);
        s.push(';');
        s.push_str(ws);
        s.push_str(n);
        if let Some(v) = v {
            s.push_str(ws);
            s.push('=');
            s.push_str(ws);
            s.push_str(v);
        }
    }
    s
}
