//! Notes on the message as a whole: what it means for the transaction, the dialog and the
//! registration, given what the correlation layer knows (a retransmission, a retry after a
//! challenge, a proxy acting as a UAC, an ACK that is its own transaction...).

use crate::sip::{HeaderName, Method, Severity, StatusClass};

use super::diagnostic::explain_diagnostic;
use super::scene::Scene;

/// The notes of the message, most important first.
pub(crate) fn explain_notes(scene: &Scene<'_, '_>) -> Vec<String> {
    let msg = scene.msg;
    let ctx = scene.ctx;
    let mut notes = Vec::new();
    if ctx.retransmission {
        notes.push(scene.t("note.retransmission", &[]));
    }
    if let Some(err) = ctx.icmp_error {
        notes.push(scene.t("note.icmp", &[("error", err)]));
    }
    if scene.request {
        request_notes(scene, &mut notes);
    } else {
        response_notes(scene, &mut notes);
    }
    transport_notes(scene, &mut notes);
    let vias = msg.vias().count();
    if scene.request && vias > 1 {
        let relays = (vias - 1).to_string();
        let key = if vias == 2 {
            "note.via_stack_one"
        } else {
            "note.via_stack"
        };
        notes.push(scene.t(key, &[("relays", relays.as_str())]));
    }
    for d in msg.diagnose() {
        let detail = explain_diagnostic(scene, &d);
        let key = match d.severity() {
            Severity::Info => "note.diagnostic.info",
            Severity::Warning | Severity::Error => "note.diagnostic.error",
        };
        notes.push(scene.t(key, &[("detail", detail.as_str())]));
    }
    notes
}

/// What TLS means for this hop, and what a SIPS Request-URI asks of the whole path.
fn transport_notes(scene: &Scene<'_, '_>, notes: &mut Vec<String>) {
    match scene.ctx.transport {
        Some("TLS") => notes.push(scene.t("note.tls.hop", &[])),
        Some("WSS") => notes.push(scene.t("note.tls.wss", &[])),
        _ => {}
    }
    let sips = scene
        .msg
        .request_uri()
        .is_some_and(|u| matches!(u.scheme, crate::sip::uri::Scheme::Sips));
    if sips {
        notes.push(scene.t("note.tls.sips", &[]));
    }
}

fn request_notes(scene: &Scene<'_, '_>, notes: &mut Vec<String>) {
    let msg = scene.msg;
    let ctx = scene.ctx;
    let auth_header = if msg.header(HeaderName::ProxyAuthorization).is_some() {
        Some(HeaderName::ProxyAuthorization)
    } else if msg.header(HeaderName::Authorization).is_some() {
        Some(HeaderName::Authorization)
    } else {
        None
    };
    if let Some(h) = auth_header {
        let header = h.as_str();
        match ctx.previous_challenge {
            Some(code) => {
                let code = code.to_string();
                notes.push(scene.t(
                    "note.auth_retry",
                    &[("code", code.as_str()), ("header", header)],
                ));
            }
            None => notes.push(scene.t("note.auth_present", &[("header", header)])),
        }
    } else if let Some(code) = ctx.previous_challenge {
        let code = code.to_string();
        notes.push(scene.t("note.auth_missing", &[("code", code.as_str())]));
    }
    if ctx.proxy_reissue {
        let key = if scene.method == Some(Method::Register) {
            "note.proxy_reissue.register"
        } else {
            "note.proxy_reissue.other"
        };
        notes.push(scene.t(key, &[]));
    }
    match msg.method() {
        Some(Method::Ack) => {
            let key = match ctx.acked_status.map(StatusClass::of) {
                _ if ctx.is_2xx_ack => "note.ack.success",
                Some(StatusClass::Success) => "note.ack.success",
                Some(_) => "note.ack.failure",
                None => "note.ack.unknown",
            };
            notes.push(scene.t(key, &[]));
        }
        Some(Method::Cancel) => notes.push(scene.t("note.cancel", &[])),
        Some(Method::Invite)
            if ctx.initial_request != Some(false)
                && msg.to().is_some_and(|t| t.tag().is_none()) =>
        {
            notes.push(scene.t("note.invite_initial", &[]));
        }
        _ => {}
    }
}

fn response_notes(scene: &Scene<'_, '_>, notes: &mut Vec<String>) {
    let msg = scene.msg;
    let Some(code) = msg.status_code() else {
        return;
    };
    if let Some(req) = scene.ctx.request {
        let uri = match req.start_line {
            crate::sip::StartLine::Request { uri, .. } => uri.to_string(),
            _ => String::new(),
        };
        let req_method = req.method().map(|m| m.as_str()).unwrap_or_default();
        notes.push(scene.t(
            "note.response_to",
            &[("uri", uri.as_str()), ("request_method", req_method)],
        ));
    } else {
        notes.push(scene.t("note.response_match", &[]));
    }
    let invite = scene.method == Some(Method::Invite);
    let to_tag = msg.to().is_some_and(|t| t.tag().is_some());
    match code {
        100 => notes.push(scene.t("note.trying", &[])),
        101..=199 if invite && to_tag => notes.push(scene.t("note.early_dialog", &[])),
        200..=299 if invite => notes.push(scene.t("note.invite_success", &[])),
        300..=699 if invite => notes.push(scene.t("note.invite_failure", &[])),
        _ => {}
    }
    match code {
        401 => notes.push(scene.t("note.challenge", &[("header", "Authorization")])),
        407 => notes.push(scene.t("note.challenge", &[("header", "Proxy-Authorization")])),
        200..=299 if scene.method == Some(Method::Register) => {
            let count = msg.contacts().filter(|c| !c.is_wildcard()).count();
            let key = match count {
                0 => "note.register.none",
                1 => "note.register.bound_one",
                _ => "note.register.bound_many",
            };
            let count = count.to_string();
            notes.push(scene.t(key, &[("count", count.as_str())]));
        }
        _ => {}
    }
}
