//! Authentication headers: the challenge (WWW-Authenticate, Proxy-Authenticate), the
//! credentials (Authorization, Proxy-Authorization) and Authentication-Info, with every
//! Digest field.

use crate::sip::{Auth, Header, HeaderName};

use super::model::{HeaderExplanation, ParamExplanation};
use super::params::explain_param;
use super::scene::Scene;

/// True for the headers this file explains.
pub(crate) fn is_auth_header(name: HeaderName<'_>) -> bool {
    matches!(
        name,
        HeaderName::WwwAuthenticate
            | HeaderName::ProxyAuthenticate
            | HeaderName::Authorization
            | HeaderName::ProxyAuthorization
            | HeaderName::AuthenticationInfo
    )
}

/// Explains one authentication header; `None` when it does not read.
pub(crate) fn explain_auth(
    scene: &Scene<'_, '_>,
    header: &Header<'_>,
) -> Option<HeaderExplanation> {
    let name = header.name.as_str();
    let (scope, kind) = match header.name {
        HeaderName::WwwAuthenticate | HeaderName::ProxyAuthenticate => ("challenge", "challenge"),
        HeaderName::Authorization | HeaderName::ProxyAuthorization => {
            ("credentials", "credentials")
        }
        _ => ("auth_info", "info"),
    };
    let mut lines = Vec::new();
    let mut params = Vec::new();
    if header.name == HeaderName::AuthenticationInfo {
        // A list of auth-params without a scheme (RFC 3261 §20.6).
        lines.push(scene.t(&format!("header.{name}.{kind}"), &[]));
        for item in header.items() {
            let item = String::from_utf8_lossy(item);
            let (n, v) = match item.split_once('=') {
                Some((n, v)) => (
                    n.trim().to_owned(),
                    Some(v.trim().trim_matches('"').to_owned()),
                ),
                None => (item.trim().to_owned(), None),
            };
            params.push(explain_param(
                scene,
                &[scope, "auth"],
                &n,
                v.as_deref(),
                &[],
            ));
        }
    } else {
        let auth = Auth::from_slice(header.value).ok()?;
        let realm = auth.realm().map(|r| r.to_string()).unwrap_or_default();
        let username = auth.username().map(|r| r.to_string()).unwrap_or_default();
        let scheme = auth.scheme.to_string();
        let args = [
            ("realm", realm.as_str()),
            ("username", username.as_str()),
            ("scheme", scheme.as_str()),
        ];
        if auth.is_digest() {
            lines.push(scene.t("header.auth.scheme.digest", &args));
        } else {
            lines.push(scene.t("header.auth.scheme.other", &args));
        }
        lines.push(scene.t(&format!("header.{name}.{kind}"), &args));
        for p in auth.params() {
            let n = p.name.to_string();
            let v = p.unquoted().to_string();
            if p.name.eq_ignore_case("stale") {
                let key = if p.unquoted().eq_ignore_case("true") {
                    "param.challenge.stale.true"
                } else {
                    "param.challenge.stale.false"
                };
                params.push(ParamExplanation {
                    name: n,
                    value: Some(v),
                    explanation: scene.t(key, &args),
                });
                continue;
            }
            params.push(explain_param(scene, &[scope, "auth"], &n, Some(&v), &args));
        }
    }
    Some(HeaderExplanation {
        name: name.to_owned(),
        value: String::from_utf8_lossy(header.value).into_owned(),
        lines,
        params,
    })
}
