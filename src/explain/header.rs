//! Per-header explanations: dispatch to the header's own reading (Via, addresses,
//! authentication) or to the lines below, and say plainly when a header is unknown.
//!
//! Every known header has at least `header.NAME.about` in the catalog; the headers read here
//! add lines that use the packet's values (the number of relays left, the expiry asked for,
//! the method of the CSeq...).

use crate::sip::header::{
    Event, MinSe, RAck, Reason, Replaces, SessionExpires, SubscriptionState, Warning,
    privacy_values,
};
use crate::sip::{Header, HeaderName, Method, Via};

use super::address::{explain_address_header, is_address_header};
use super::auth::{explain_auth, is_auth_header};
use super::model::HeaderExplanation;
use super::params::explain_params;
use super::scene::Scene;
use super::tokens::{explain_token, explain_tokens};
use super::via::explain_via;

/// Explains every header of the message, in order.
pub(crate) fn explain_headers(scene: &Scene<'_, '_>) -> Vec<HeaderExplanation> {
    let total_vias = scene.msg.vias().count();
    let mut via_index = 0;
    let mut out = Vec::with_capacity(scene.msg.headers.len());
    for h in &scene.msg.headers {
        let mut entries = match h.name {
            HeaderName::Via => {
                let vias: Result<Vec<Via<'_>>, _> = Via::list(scene.msg.buf, h.value).collect();
                match vias {
                    Ok(vias) => vias
                        .iter()
                        .map(|v| {
                            let e = explain_via(scene, v, via_index, total_vias);
                            via_index += 1;
                            e
                        })
                        .collect(),
                    Err(_) => vec![malformed(scene, h)],
                }
            }
            n if is_address_header(n) => {
                explain_address_header(scene, h).unwrap_or_else(|| vec![malformed(scene, h)])
            }
            n if is_auth_header(n) => explain_auth(scene, h)
                .map(|e| vec![e])
                .unwrap_or_else(|| vec![malformed(scene, h)]),
            HeaderName::Other(name) => vec![unknown(scene, h, name)],
            _ => vec![simple(scene, h)],
        };
        if let Some(first) = entries.first_mut() {
            if let Some(c) = h.name.compact() {
                if h.raw_name.len() == 1 {
                    let compact = c.to_string();
                    first.lines.insert(
                        0,
                        scene.t(
                            "header.compact",
                            &[("compact", compact.as_str()), ("name", h.name.as_str())],
                        ),
                    );
                }
            }
        }
        out.extend(entries);
    }
    out
}

fn value_of(h: &Header<'_>) -> String {
    String::from_utf8_lossy(h.value).into_owned()
}

fn entry(h: &Header<'_>, lines: Vec<String>) -> HeaderExplanation {
    HeaderExplanation {
        name: h.name.as_str().to_owned(),
        value: value_of(h),
        lines,
        params: Vec::new(),
    }
}

/// A known header whose value does not follow its grammar: shown as written, never guessed.
fn malformed(scene: &Scene<'_, '_>, h: &Header<'_>) -> HeaderExplanation {
    let value = value_of(h);
    let args = [("name", h.name.as_str()), ("value", value.as_str())];
    entry(
        h,
        vec![
            scene.t("header.malformed", &args),
            scene.t(&format!("header.{}.about", h.name.as_str()), &args),
        ],
    )
}

/// A header the catalog does not know: vendor-specific (`X-`), described in the extra list,
/// or unknown. Never guessed.
fn unknown(scene: &Scene<'_, '_>, h: &Header<'_>, name: &str) -> HeaderExplanation {
    let value = value_of(h);
    let args = [("name", name), ("value", value.as_str())];
    let extra = format!("header_extra.{}", name.to_ascii_lowercase());
    let line = if scene.has(&extra) {
        scene.t(&extra, &args)
    } else if name.len() > 2 && name.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("x-")) {
        scene.t("header.unknown.vendor", &args)
    } else {
        scene.t("header.unknown.other", &args)
    };
    HeaderExplanation {
        name: name.to_owned(),
        value,
        lines: vec![line],
        params: Vec::new(),
    }
}

/// Headers read with their own values; anything else gets `header.NAME.about`.
fn simple(scene: &Scene<'_, '_>, h: &Header<'_>) -> HeaderExplanation {
    let name = h.name.as_str();
    let value = value_of(h);
    let about = format!("header.{name}.about");
    let dir = if scene.request { "request" } else { "response" };
    let v = [("value", value.as_str())];
    let mut e = entry(h, Vec::new());
    let buf = scene.msg.buf;
    match h.name {
        HeaderName::MaxForwards => match value.trim().parse::<u8>() {
            Ok(n) => {
                let count = n.to_string();
                e.lines
                    .push(scene.t("header.Max-Forwards.hops", &[("value", count.as_str())]));
                if n == 0 {
                    e.lines.push(scene.t("header.Max-Forwards.zero", &v));
                } else if scene.request && n < 70 {
                    let used = (70 - n).to_string();
                    let key = if n == 69 {
                        "header.Max-Forwards.used_one"
                    } else {
                        "header.Max-Forwards.used"
                    };
                    e.lines.push(scene.t(key, &[("used", used.as_str())]));
                }
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::CallId => {
            e.lines.push(scene.t(&format!("header.Call-ID.{dir}"), &v));
            if scene.request {
                e.lines.push(scene.t("header.Call-ID.dialog", &v));
            } else if let Some(req) = scene.ctx.request {
                if req.call_id().map(|c| c.value.to_string()).as_deref() != Some(value.trim()) {
                    e.lines.push(scene.t("header.Call-ID.mismatch", &v));
                }
            }
        }
        HeaderName::CSeq => match scene.msg.cseq() {
            Some(c) => {
                let seq = c.seq.to_string();
                let args = [("seq", seq.as_str()), ("cseq_method", c.method.as_str())];
                let number = match (scene.request, scene.msg.method()) {
                    (true, Some(Method::Ack)) => "header.CSeq.number.ack".to_owned(),
                    (true, Some(Method::Cancel)) => "header.CSeq.number.cancel".to_owned(),
                    _ => format!("header.CSeq.number.{dir}"),
                };
                e.lines.push(scene.t(&number, &args));
                let mismatch = scene.msg.method().is_some_and(|m| m != c.method);
                let method_key = if mismatch {
                    "header.CSeq.method.mismatch".to_owned()
                } else {
                    format!("header.CSeq.method.{dir}")
                };
                e.lines.push(scene.t(&method_key, &args));
            }
            None => return malformed(scene, h),
        },
        HeaderName::UserAgent | HeaderName::Server => {
            e.lines.push(scene.t(&format!("header.{name}.name"), &v));
        }
        HeaderName::Expires => {
            let m = scene.method_name().to_ascii_lowercase();
            let zero = value.trim() == "0";
            let keys = [
                format!(
                    "header.Expires.{m}.{dir}{}",
                    if zero { "_zero" } else { "" }
                ),
                format!("header.Expires.{m}.{dir}"),
                about.clone(),
            ];
            let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
            e.lines.push(scene.first_of(&refs, &v));
        }
        HeaderName::Allow => e.lines.push(scene.t(&format!("header.Allow.{dir}"), &v)),
        HeaderName::ContentLength => {
            let key = if value.trim() == "0" {
                "header.Content-Length.zero"
            } else {
                "header.Content-Length.size"
            };
            e.lines.push(scene.t(key, &v));
        }
        HeaderName::ContentType => {
            let key = match scene.msg.content_type() {
                Some(ct) if ct.is_sdp() => "header.Content-Type.sdp",
                Some(ct) if ct.is_multipart() => "header.Content-Type.multipart",
                _ => "header.Content-Type.other",
            };
            e.lines.push(scene.t(key, &v));
        }
        HeaderName::Supported
        | HeaderName::Require
        | HeaderName::ProxyRequire
        | HeaderName::Unsupported => {
            e.lines.push(scene.t(&about, &v));
            e.params = explain_tokens(scene, "option", h.items());
        }
        HeaderName::AllowEvents => {
            e.lines.push(scene.t(&about, &v));
            e.params = explain_tokens(scene, "event", h.items());
        }
        HeaderName::Event => match Event::from_slice(h.value) {
            Ok(ev) => {
                let pkg = ev.package.to_string();
                e.lines.push(scene.t(&about, &[("package", pkg.as_str())]));
                e.params.push(explain_token(scene, "event", &pkg));
                e.params
                    .extend(explain_params(scene, &["event"], &ev.params, &[]));
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::SubscriptionState => match SubscriptionState::from_slice(h.value) {
            Ok(s) => {
                let state = s.state.to_string().to_ascii_lowercase();
                e.lines.push(
                    scene.first_of(&[&format!("header.Subscription-State.{state}"), &about], &v),
                );
                e.params = explain_params(scene, &["subscription_state"], &s.params, &[]);
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::SessionExpires | HeaderName::MinSe => {
            let parsed = if h.name == HeaderName::SessionExpires {
                SessionExpires::from_slice(h.value)
            } else {
                MinSe::from_slice(h.value)
            };
            match parsed {
                Ok(st) => {
                    let delta = st.delta.to_string();
                    e.lines.push(scene.t(&about, &[("value", delta.as_str())]));
                    e.params = explain_params(scene, &["session_timer"], &st.params, &[]);
                }
                Err(_) => return malformed(scene, h),
            }
        }
        HeaderName::RAck => match RAck::from_slice(h.value) {
            Ok(r) => {
                let (rseq, cseq) = (r.rseq.to_string(), r.cseq.to_string());
                e.lines.push(scene.t(
                    &about,
                    &[
                        ("rseq", rseq.as_str()),
                        ("seq", cseq.as_str()),
                        ("cseq_method", r.method.as_str()),
                    ],
                ));
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::Privacy => match privacy_values(h.value) {
            Ok(values) => {
                e.lines.push(scene.t(&about, &v));
                e.params = explain_tokens(scene, "privacy", values.iter().map(|t| t.as_bytes()));
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::Reason => {
            for r in Reason::list(buf, h.value) {
                let Ok(r) = r else { return malformed(scene, h) };
                let protocol = r.protocol.to_string();
                let cause = r.cause().map(|c| c.to_string()).unwrap_or_default();
                let text = r
                    .text()
                    .map(|t| t.unquoted().to_string())
                    .unwrap_or_default();
                let args = [
                    ("protocol", protocol.as_str()),
                    ("cause", cause.as_str()),
                    ("text", text.as_str()),
                ];
                let key = if text.is_empty() {
                    "header.Reason.cause_only"
                } else {
                    "header.Reason.cause"
                };
                e.lines.push(scene.t(key, &args));
                let specific = format!("reason.{}.{cause}", protocol.to_ascii_lowercase());
                if scene.has(&specific) {
                    e.lines.push(scene.t(&specific, &args));
                }
            }
        }
        HeaderName::Replaces => match Replaces::from_slice(h.value) {
            Ok(r) => {
                let call_id = r.call_id.to_string();
                e.lines
                    .push(scene.t(&about, &[("call_id", call_id.as_str())]));
                e.params = explain_params(scene, &["replaces"], &r.params, &[]);
            }
            Err(_) => return malformed(scene, h),
        },
        HeaderName::Warning => {
            for w in Warning::list(buf, h.value) {
                let Ok(w) = w else { return malformed(scene, h) };
                let (code, agent, text) =
                    (w.code.to_string(), w.agent.to_string(), w.text.to_string());
                let args = [
                    ("code", code.as_str()),
                    ("agent", agent.as_str()),
                    ("text", text.as_str()),
                ];
                e.lines.push(scene.t(&about, &args));
                let specific = format!("warning.{code}");
                if scene.has(&specific) {
                    e.lines.push(scene.t(&specific, &args));
                }
            }
        }
        HeaderName::Priority | HeaderName::ContentDisposition => {
            let token = value
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            e.lines
                .push(scene.first_of(&[&format!("header.{name}.{token}"), &about], &v));
        }
        _ if value.trim().is_empty() => {
            e.lines.push(scene.t("header.empty", &[("name", name)]));
            e.lines.push(scene.t(&about, &v));
        }
        _ => e.lines.push(scene.t(&about, &v)),
    }
    e
}
