//! One sentence per message, in the words of the course: who asks what of whom, or what the
//! answer means ("Le proxy demande une preuve d'authentification pour le domaine REALM").

use crate::sip::{HeaderName, Method};

use super::scene::Scene;
use super::status::class_key;

/// The summary sentence of the message.
pub(crate) fn summarize(scene: &Scene<'_, '_>) -> String {
    let msg = scene.msg;
    let to = msg.to();
    let aor = to.map(|t| t.uri.raw.to_string()).unwrap_or_default();
    let callee = to
        .and_then(|t| t.display_name_unquoted())
        .map(|d| d.to_string())
        .unwrap_or_else(|| aor.clone());
    let caller = msg
        .from()
        .map(|f| {
            f.display_name_unquoted()
                .map_or_else(|| f.uri.raw.to_string(), |d| d.to_string())
        })
        .unwrap_or_default();
    let ruri = msg.request_uri();
    let uri = ruri.map(|u| u.raw.to_string()).unwrap_or_default();
    let host = ruri
        .and_then(|u| u.host)
        .map(|h| h.to_string())
        .unwrap_or_else(|| uri.clone());
    let realm = msg
        .auth(HeaderName::WwwAuthenticate)
        .or_else(|| msg.auth(HeaderName::ProxyAuthenticate))
        .or_else(|| msg.auth(HeaderName::Authorization))
        .or_else(|| msg.auth(HeaderName::ProxyAuthorization))
        .and_then(|a| a.realm())
        .map(|r| r.to_string())
        .unwrap_or_default();
    let expires = msg
        .contacts()
        .find_map(|c| c.address().and_then(|a| a.expires()))
        .or_else(|| msg.expires())
        .map(|e| e.to_string())
        .unwrap_or_default();
    let code = msg.status_code().map(|c| c.to_string()).unwrap_or_default();
    let reason = match msg.start_line {
        crate::sip::StartLine::Response { reason, .. } => reason.to_string(),
        _ => String::new(),
    };
    let args = [
        ("aor", aor.as_str()),
        ("to", callee.as_str()),
        ("from", caller.as_str()),
        ("uri", uri.as_str()),
        ("host", host.as_str()),
        ("realm", realm.as_str()),
        ("expires", expires.as_str()),
        ("code", code.as_str()),
        ("reason", reason.as_str()),
    ];
    let keys = if scene.request {
        request_keys(scene)
    } else {
        response_keys(scene)
    };
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let sentence = scene.first_of(&refs, &scene.as_sender(&args));
    if scene.ctx.retransmission {
        scene.t("summary.retransmission", &[("summary", sentence.as_str())])
    } else {
        sentence
    }
}

fn request_keys(scene: &Scene<'_, '_>) -> Vec<String> {
    let msg = scene.msg;
    let Some(method) = msg.method() else {
        return vec!["summary.request.other".to_owned()];
    };
    let m = method.as_str();
    let mut keys = Vec::new();
    if scene.forwarded {
        keys.push("summary.request.forwarded".to_owned());
    }
    let has_auth = msg.header(HeaderName::Authorization).is_some()
        || msg.header(HeaderName::ProxyAuthorization).is_some();
    let in_dialog = msg.to().is_some_and(|t| t.tag().is_some());
    match method {
        Method::Register => {
            let unregister = msg.expires() == Some(0)
                || msg
                    .contacts()
                    .any(|c| c.is_wildcard() || c.address().and_then(|a| a.expires()) == Some(0));
            if unregister {
                keys.push("summary.request.REGISTER_unregister".to_owned());
            }
            if scene.ctx.proxy_reissue {
                keys.push("summary.request.REGISTER_proxy".to_owned());
            }
            if has_auth {
                keys.push("summary.request.REGISTER_auth".to_owned());
            }
        }
        Method::Invite if in_dialog => keys.push("summary.request.INVITE_reinvite".to_owned()),
        Method::Invite if has_auth => keys.push("summary.request.INVITE_auth".to_owned()),
        Method::Ack if scene.ctx.is_2xx_ack => keys.push("summary.request.ACK_2xx".to_owned()),
        _ => {}
    }
    match method {
        Method::Other(_) => keys.push("summary.request.other".to_owned()),
        _ => keys.push(format!("summary.request.{m}")),
    }
    keys
}

fn response_keys(scene: &Scene<'_, '_>) -> Vec<String> {
    let code = scene.msg.status_code().unwrap_or(0);
    let m = scene.method_name();
    vec![
        format!("summary.response.{code}_{m}"),
        format!("summary.response.{code}"),
        format!("summary.response.{}", class_key(code)),
    ]
}
