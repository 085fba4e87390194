//! Status codes: the meaning of every IANA-registered code, the class of any other, and the
//! reason phrase when it differs from the registered one.

use crate::sip::StatusClass;
use crate::sip::status::status_info;

use super::scene::Scene;

/// The catalog name of a status class.
pub(crate) fn class_key(code: u16) -> &'static str {
    match StatusClass::of(code) {
        StatusClass::Provisional => "provisional",
        StatusClass::Success => "success",
        StatusClass::Redirection => "redirection",
        StatusClass::ClientError => "client_error",
        StatusClass::ServerError => "server_error",
        StatusClass::GlobalFailure => "global_failure",
        StatusClass::Invalid => "invalid",
    }
}

/// What the status line says: the code's meaning, its class, and a word on the reason phrase.
pub(crate) fn explain_status(scene: &Scene<'_, '_>, code: u16, reason: &str) -> Vec<String> {
    let c = code.to_string();
    let args = [("code", c.as_str()), ("reason", reason)];
    let mut lines = Vec::new();
    let by_method = format!("status.{code}_{}", scene.method_name());
    let specific = format!("status.{code}");
    if scene.has(&by_method) {
        lines.push(scene.t(&by_method, &args));
    } else if scene.has(&specific) {
        lines.push(scene.t(&specific, &args));
    } else {
        lines.push(scene.t(&format!("status_unregistered.{}", class_key(code)), &args));
    }
    lines.push(scene.t(&format!("status_class.{}", class_key(code)), &args));
    if let Some(info) = status_info(code) {
        let written = reason.trim();
        if !written.eq_ignore_ascii_case(info.reason) && !written.is_empty() {
            lines.push(scene.t(
                "first_line.reason_differs",
                &[("reason", written), ("registered", info.reason)],
            ));
        }
    }
    lines
}
