//! What the parser found wrong with the message, said in the reader's language.
//!
//! Each kind of diagnostic has its own text; the grammar's own words (what a value should
//! have been) come from the parser and stay in English.

use crate::sip::{Diagnostic, DiagnosticKind, ErrorKind};

use super::scene::Scene;

/// The sentence for one diagnostic, with the header and byte offset it concerns.
pub(crate) fn explain_diagnostic(scene: &Scene<'_, '_>, d: &Diagnostic<'_>) -> String {
    let offset = d.offset.to_string();
    let (key, detail): (&str, String) = match d.kind {
        DiagnosticKind::Syntax(k) => ("diagnostic.syntax", grammar(scene, k)),
        DiagnosticKind::StartLineWhitespace => ("diagnostic.start_line_whitespace", String::new()),
        DiagnosticKind::RequestUriWhitespace => {
            ("diagnostic.request_uri_whitespace", String::new())
        }
        DiagnosticKind::RequestUriBrackets => ("diagnostic.request_uri_brackets", String::new()),
        DiagnosticKind::RequestUriHeaders => ("diagnostic.request_uri_headers", String::new()),
        DiagnosticKind::UnsupportedVersion => ("diagnostic.unsupported_version", String::new()),
        DiagnosticKind::BadStatusCode => ("diagnostic.bad_status_code", String::new()),
        DiagnosticKind::MissingColon => ("diagnostic.missing_colon", String::new()),
        DiagnosticKind::InvalidHeaderName => ("diagnostic.invalid_header_name", String::new()),
        DiagnosticKind::LineTooLong => ("diagnostic.line_too_long", String::new()),
        DiagnosticKind::TooManyHeaders => ("diagnostic.too_many_headers", String::new()),
        DiagnosticKind::HeadersNotTerminated => {
            ("diagnostic.headers_not_terminated", String::new())
        }
        DiagnosticKind::BareLf => ("diagnostic.bare_lf", String::new()),
        DiagnosticKind::ContentLengthTooLarge {
            declared,
            available,
        } => (
            "diagnostic.content_length_too_large",
            format!("{declared}/{available}"),
        ),
        DiagnosticKind::BodyTooLarge => ("diagnostic.body_too_large", String::new()),
        DiagnosticKind::TrailingData { len } => ("diagnostic.trailing_data", len.to_string()),
        DiagnosticKind::MissingHeader(h) => ("diagnostic.missing_header", h.to_owned()),
        DiagnosticKind::DuplicateHeader(h) => ("diagnostic.duplicate_header", h.to_owned()),
        DiagnosticKind::CSeqMethodMismatch => ("diagnostic.cseq_method_mismatch", String::new()),
        DiagnosticKind::BadBody(k) => ("diagnostic.bad_body", grammar(scene, k)),
    };
    let (declared, available) = detail.split_once('/').unwrap_or(("", ""));
    let text = scene.t(
        key,
        &[
            ("detail", detail.as_str()),
            ("name", detail.as_str()),
            ("len", detail.as_str()),
            ("declared", declared),
            ("available", available),
        ],
    );
    match d.header {
        Some(h) => {
            let h = h.to_string();
            scene.t(
                "diagnostic.at_header",
                &[
                    ("header", h.as_str()),
                    ("offset", offset.as_str()),
                    ("text", text.as_str()),
                ],
            )
        }
        None => scene.t(
            "diagnostic.at",
            &[("offset", offset.as_str()), ("text", text.as_str())],
        ),
    }
}

/// What the grammar wanted; the name of the element (`a parameter name`) is the parser's,
/// in English.
fn grammar(scene: &Scene<'_, '_>, k: ErrorKind) -> String {
    match k {
        ErrorKind::Expected(what) => scene.t("diagnostic.grammar.expected", &[("what", what)]),
        ErrorKind::OutOfRange(what) => {
            scene.t("diagnostic.grammar.out_of_range", &[("what", what)])
        }
        ErrorKind::TrailingData(what) => scene.t("diagnostic.grammar.trailing", &[("what", what)]),
        ErrorKind::Nom(_) => scene.t("diagnostic.grammar.mismatch", &[]),
    }
}
