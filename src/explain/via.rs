//! Via: the path of a request, one value per hop, read as the seed reads it (transport, the
//! address of whoever sent the request, rport, branch) for requests and for responses.

use crate::sip::{HeaderName, Via};

use super::model::{HeaderExplanation, ParamExplanation};
use super::params::explain_param;
use super::scene::Scene;

/// Explains one Via value, `index` counting from the top of all Via values (`total` of them).
pub(crate) fn explain_via(
    scene: &Scene<'_, '_>,
    via: &Via<'_>,
    index: usize,
    total: usize,
) -> HeaderExplanation {
    let transport = via.transport.as_str();
    let host = via.host.to_string();
    let default_port = match via.transport {
        crate::sip::Transport::Tls | crate::sip::Transport::Wss => "5061",
        _ => "5060",
    };
    let port = match via.port {
        Some(p) => p.to_string(),
        None => scene.t("header.Via.port_default", &[("port", default_port)]),
    };
    let (who, who_of) = match (index, scene.request) {
        (0, true) => (scene.sender.clone(), scene.sender_of.clone()),
        (0, false) => (scene.receiver.clone(), scene.receiver_of.clone()),
        (i, _) if i + 1 == total => (scene.t("role.uac", &[]), scene.t("role_of.uac", &[])),
        _ => (scene.t("role.relay", &[]), scene.t("role_of.relay", &[])),
    };
    let args = [
        ("transport", transport),
        ("host", host.as_str()),
        ("port", port.as_str()),
        ("who", who.as_str()),
        ("who_of", who_of.as_str()),
    ];
    let mut lines = Vec::new();
    let dir = if scene.request { "request" } else { "response" };
    lines.push(scene.t(&format!("header.Via.transport.{dir}"), &args));
    let sent_by_key = match (scene.request, index) {
        (true, 0) => "header.Via.sent_by.request",
        (true, i) if i + 1 == total => "header.Via.sent_by.origin",
        (true, _) => "header.Via.sent_by.relay",
        (false, 0) => "header.Via.sent_by.response",
        (false, _) => "header.Via.sent_by.response_relay",
    };
    lines.push(scene.t(sent_by_key, &args));
    if !via.protocol.eq_ignore_case("SIP") || via.version != "2.0" {
        let proto = format!("{}/{}", via.protocol, via.version);
        lines.push(scene.t("header.Via.protocol", &[("value", proto.as_str())]));
    }
    if scene.request && index == 0 {
        if let Some(actual) = scene.ctx.transport {
            let announced = via.transport.as_str();
            let same = actual.eq_ignore_ascii_case(announced)
                || (actual.eq_ignore_ascii_case("TCP") && announced.eq_ignore_ascii_case("TLS"));
            if !same {
                lines.push(scene.t(
                    "header.Via.transport_mismatch",
                    &[("actual", actual), ("transport", announced)],
                ));
            }
        }
        if let (Some(src), Some(ip)) = (scene.ctx.source, via.host.ip()) {
            if src.ip() != ip {
                let source = src.to_string();
                lines.push(scene.t(
                    "header.Via.nat",
                    &scene.as_sender(&[("source", source.as_str()), ("host", host.as_str())]),
                ));
            }
        }
    }
    let params = via
        .params
        .iter()
        .map(|p| {
            let name = p.name.to_string_lossy();
            let value = p.unquoted().map(|v| v.to_string_lossy().into_owned());
            if p.name.eq_ignore_case("branch") {
                explain_branch(scene, via, index, value.as_deref(), &args)
            } else if p.name.eq_ignore_case("received") && !scene.request {
                let same = via.received_host().is_some_and(|r| r == via.host);
                let key = if same {
                    "param.via.received.same"
                } else {
                    "param.via.received.response"
                };
                let mut all = args.to_vec();
                all.push(("value", value.as_deref().unwrap_or("")));
                let explanation = scene.t(key, &all);
                ParamExplanation {
                    name: name.into_owned(),
                    value,
                    explanation,
                }
            } else {
                explain_param(scene, &["via"], &name, value.as_deref(), &args)
            }
        })
        .collect();
    HeaderExplanation {
        name: HeaderName::Via.as_str().to_owned(),
        value: via.raw.to_string(),
        lines,
        params,
    }
}

fn explain_branch(
    scene: &Scene<'_, '_>,
    via: &Via<'_>,
    index: usize,
    value: Option<&str>,
    args: &[(&str, &str)],
) -> ParamExplanation {
    let echoed = !scene.request
        && index == 0
        && scene
            .ctx
            .request
            .and_then(|r| r.top_via())
            .and_then(|v| v.branch())
            .zip(via.branch())
            .is_some_and(|(a, b)| a == b);
    let key = if !via.has_magic_cookie() {
        "param.via.branch.no_cookie"
    } else if echoed {
        "param.via.branch.echo"
    } else if scene.request {
        "param.via.branch.request"
    } else {
        "param.via.branch.response"
    };
    let mut all = args.to_vec();
    all.push(("value", value.unwrap_or("")));
    ParamExplanation {
        name: "branch".to_owned(),
        value: value.map(str::to_owned),
        explanation: scene.t(key, &all),
    }
}
