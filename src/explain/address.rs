//! Address headers (From, To, Contact, Route, Record-Route, Path, identities...): the URI,
//! the display name, the tags and every parameter, in the context of the request or response.

use crate::sip::header::List;
use crate::sip::name_addr::parse_name_addr;
use crate::sip::{Contact, Header, HeaderName, Method, NameAddr, StatusClass};

use super::model::HeaderExplanation;
use super::params::explain_params;
use super::scene::Scene;

/// True for the headers this file explains.
pub(crate) fn is_address_header(name: HeaderName<'_>) -> bool {
    matches!(
        name,
        HeaderName::From
            | HeaderName::To
            | HeaderName::Contact
            | HeaderName::Route
            | HeaderName::RecordRoute
            | HeaderName::Path
            | HeaderName::ServiceRoute
            | HeaderName::PAssertedIdentity
            | HeaderName::PPreferredIdentity
            | HeaderName::PAssociatedUri
            | HeaderName::PCalledPartyId
            | HeaderName::ReferTo
            | HeaderName::ReferredBy
            | HeaderName::ReplyTo
            | HeaderName::HistoryInfo
            | HeaderName::Diversion
    )
}

/// Explains an address header line: one entry per address. `None` when the value does not
/// read as addresses (the caller then explains it as written).
pub(crate) fn explain_address_header(
    scene: &Scene<'_, '_>,
    header: &Header<'_>,
) -> Option<Vec<HeaderExplanation>> {
    let buf = scene.msg.buf;
    let mut out = Vec::new();
    if header.name == HeaderName::Contact {
        for c in Contact::list(buf, header.value) {
            match c.ok()? {
                Contact::Address(a) => out.push(explain_address(scene, header.name, &a, out.len())),
                Contact::Wildcard { params, .. } => {
                    let args = [("value", "*")];
                    out.push(HeaderExplanation {
                        name: header.name.as_str().to_owned(),
                        value: "*".to_owned(),
                        lines: vec![scene.t("header.Contact.wildcard", &args)],
                        params: explain_params(scene, &["contact"], &params, &args),
                    });
                }
            }
        }
    } else if header.name.is_list() {
        for a in List::new(buf, header.value, parse_name_addr) {
            let a = a.ok()?;
            out.push(explain_address(scene, header.name, &a, out.len()));
        }
    } else {
        let a = NameAddr::from_slice_in(buf, header.value).ok()?;
        out.push(explain_address(scene, header.name, &a, 0));
    }
    (!out.is_empty()).then_some(out)
}

fn explain_address(
    scene: &Scene<'_, '_>,
    name: HeaderName<'_>,
    addr: &NameAddr<'_>,
    index: usize,
) -> HeaderExplanation {
    let canonical = name.as_str();
    let uri = addr.uri.raw.to_string();
    let host = addr.uri.host.map_or_else(|| uri.clone(), |h| h.to_string());
    let display = addr
        .display_name_unquoted()
        .map(|d| d.to_string())
        .unwrap_or_default();
    let from_uri = scene
        .msg
        .from()
        .map(|f| f.uri.raw.to_string())
        .unwrap_or_default();
    let args = [
        ("uri", uri.as_str()),
        ("host", host.as_str()),
        ("display", display.as_str()),
        ("from", from_uri.as_str()),
    ];
    let mut lines = Vec::new();
    let key = uri_key(scene, name, &uri, &from_uri, index);
    lines.push(scene.first_of(
        &[key.as_str(), &format!("header.{canonical}.uri.any")],
        &args,
    ));
    if !display.is_empty() {
        lines.push(scene.t("header.address.display", &args));
    }
    lines.extend(tag_lines(scene, name, addr));
    let scope = canonical.to_ascii_lowercase();
    let mut params = explain_params(scene, &[scope.as_str(), "uri"], &addr.uri.params, &args);
    params.extend(explain_params(
        scene,
        &[scope.as_str()],
        &addr.params,
        &args,
    ));
    HeaderExplanation {
        name: canonical.to_owned(),
        value: addr.raw.to_string(),
        lines,
        params,
    }
}

/// The catalog key of the URI line, which depends on the method, the direction and the
/// position of the address.
fn uri_key(
    scene: &Scene<'_, '_>,
    name: HeaderName<'_>,
    uri: &str,
    from_uri: &str,
    index: usize,
) -> String {
    let register = scene.method == Some(Method::Register);
    let dir = if scene.request { "request" } else { "response" };
    let canonical = name.as_str();
    match name {
        HeaderName::To if register => {
            if uri.eq_ignore_ascii_case(from_uri) {
                "header.To.uri.register_same".to_owned()
            } else {
                "header.To.uri.register_other".to_owned()
            }
        }
        HeaderName::Contact if register => format!("header.Contact.uri.register_{dir}"),
        HeaderName::Contact
            if !scene.request
                && scene
                    .msg
                    .status_code()
                    .is_some_and(|c| StatusClass::of(c) == StatusClass::Redirection) =>
        {
            "header.Contact.uri.redirect".to_owned()
        }
        HeaderName::Route | HeaderName::RecordRoute | HeaderName::Path if index > 0 => {
            format!("header.{canonical}.uri_next")
        }
        _ => format!("header.{canonical}.uri.{dir}"),
    }
}

/// The lines about tags that are absent (present tags are explained as parameters).
fn tag_lines(scene: &Scene<'_, '_>, name: HeaderName<'_>, addr: &NameAddr<'_>) -> Vec<String> {
    if addr.tag().is_some() {
        return Vec::new();
    }
    match name {
        HeaderName::From => vec![scene.t("header.From.no_tag", &[])],
        HeaderName::To if scene.request => vec![scene.t("header.To.no_tag.request", &[])],
        HeaderName::To => match scene.msg.status_code() {
            Some(100) => vec![scene.t("header.To.no_tag.trying", &[])],
            Some(_) => vec![scene.t("header.To.no_tag.response", &[])],
            None => Vec::new(),
        },
        _ => Vec::new(),
    }
}
