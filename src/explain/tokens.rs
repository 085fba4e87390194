//! Token values that the catalog names one by one: option tags (Supported, Require...),
//! event packages, privacy values, methods in Allow. Each becomes a parameter-like entry so
//! the reader sees every token explained under its header.

use super::model::ParamExplanation;
use super::scene::Scene;

/// Explains each token of `items` from `{family}.{token}` (lower-cased, except methods),
/// falling back to `{family}.unknown`.
pub(crate) fn explain_tokens<'t>(
    scene: &Scene<'_, '_>,
    family: &str,
    items: impl Iterator<Item = &'t [u8]>,
) -> Vec<ParamExplanation> {
    items
        .map(|raw| String::from_utf8_lossy(raw).trim().to_owned())
        .filter(|t| !t.is_empty())
        .map(|t| explain_token(scene, family, &t))
        .collect()
}

/// Explains one token.
pub(crate) fn explain_token(scene: &Scene<'_, '_>, family: &str, token: &str) -> ParamExplanation {
    let key_token = if family == "method" {
        token.to_owned()
    } else {
        token.to_ascii_lowercase()
    };
    let specific = if family == "method" {
        format!("method.{key_token}.about")
    } else {
        format!("{family}.{key_token}")
    };
    let fallback = format!("{family}.unknown");
    ParamExplanation {
        name: token.to_owned(),
        value: None,
        explanation: scene.first_of(&[&specific, &fallback], &[("value", token)]),
    }
}
