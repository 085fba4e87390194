//! The first line: what the method asks for, where the Request-URI points, or what the
//! status code answers.

use crate::sip::{Method, StartLine, Version};

use super::params::explain_params;
use super::scene::Scene;
use super::status::explain_status;

/// Explains the request or status line.
pub(crate) fn explain_first_line(scene: &Scene<'_, '_>) -> Vec<String> {
    match scene.msg.start_line {
        StartLine::Request {
            method,
            uri,
            version,
        } => {
            let uri_text = uri.to_string();
            let parsed = scene.msg.request_uri();
            let host = parsed
                .and_then(|u| u.host)
                .map_or_else(|| uri_text.clone(), |h| h.to_string());
            let user = parsed
                .and_then(|u| u.user)
                .map(|u| u.to_string())
                .unwrap_or_default();
            let aor = scene
                .msg
                .to()
                .map(|t| t.uri.raw.to_string())
                .unwrap_or_default();
            let args = [
                ("uri", uri_text.as_str()),
                ("host", host.as_str()),
                ("user", user.as_str()),
                ("aor", aor.as_str()),
            ];
            let mut lines = Vec::new();
            let line_key = match method {
                Method::Other(_) => "method.other.line".to_owned(),
                m => format!("method.{}.line", m.as_str()),
            };
            if scene.forwarded {
                // The request speaks for the UAC that wrote it; the sender only relays it.
                lines.push(scene.t(&line_key, &args));
                lines.push(scene.t("first_line.forwarded", &scene.as_sender(&args)));
            } else {
                lines.push(scene.t(&line_key, &args));
            }
            let m = method.as_str().to_ascii_lowercase();
            lines.push(scene.first_of(
                &[
                    &format!("first_line.request_uri.{m}"),
                    "first_line.request_uri.any",
                ],
                &args,
            ));
            if let Some(u) = parsed {
                for p in explain_params(scene, &["request_uri", "uri"], &u.params, &args) {
                    let label = match &p.value {
                        Some(v) => format!("{}={v}", p.name),
                        None => p.name.clone(),
                    };
                    lines.push(scene.t(
                        "first_line.param",
                        &[
                            ("param", label.as_str()),
                            ("explanation", p.explanation.as_str()),
                        ],
                    ));
                }
            }
            lines.extend(version_line(scene, version));
            lines
        }
        StartLine::Response {
            version,
            code,
            reason,
        } => {
            let mut lines = explain_status(scene, code, &reason.to_string());
            lines.extend(version_line(scene, version));
            lines
        }
        StartLine::Malformed { line } => {
            let l = line.to_string();
            vec![scene.t("first_line.malformed", &[("value", l.as_str())])]
        }
    }
}

fn version_line(scene: &Scene<'_, '_>, version: Version) -> Option<String> {
    (version != Version::SIP_2_0).then(|| {
        let v = version.to_string();
        scene.t("first_line.version", &[("value", v.as_str())])
    })
}
