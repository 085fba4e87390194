//! Parameters (`;branch=`, `;tag=`, `;lr`, URI parameters, Digest fields, option tags): each
//! found in the catalog by where it appears, then by name alone.
//!
//! Lookup order for a parameter `name` found in scopes `scopes` (most specific first, such as
//! `route` then `uri`) of a request (`response` for a response), trying the `.flag` form
//! first (`.flag_request`, `.flag`) when it has no value: `param.SCOPE.NAME.request`, then
//! `param.SCOPE.NAME.text` for each scope, then the same under `param.any`, and
//! `param.unknown` last, which says the catalog does not know it.

use crate::sip::Params;

use super::model::ParamExplanation;
use super::scene::Scene;

/// Explains one parameter.
pub(crate) fn explain_param(
    scene: &Scene<'_, '_>,
    scopes: &[&str],
    name: &str,
    value: Option<&str>,
    args: &[(&str, &str)],
) -> ParamExplanation {
    let lower = name.to_ascii_lowercase();
    let dir = if scene.request { "request" } else { "response" };
    let mut keys = Vec::with_capacity(16);
    for s in scopes.iter().copied().chain(["any"]) {
        if value.is_none() {
            keys.push(format!("param.{s}.{lower}.flag_{dir}"));
            keys.push(format!("param.{s}.{lower}.flag"));
        }
        keys.push(format!("param.{s}.{lower}.{dir}"));
        keys.push(format!("param.{s}.{lower}.text"));
    }
    if value.is_some() {
        // A flag written with a value (`lr=on`, as some proxies do) still means the flag.
        for s in scopes.iter().copied().chain(["any"]) {
            keys.push(format!("param.{s}.{lower}.flag_{dir}"));
            keys.push(format!("param.{s}.{lower}.flag"));
        }
    }
    keys.push("param.unknown".to_owned());
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut all = args.to_vec();
    let v = value.unwrap_or("");
    all.push(("value", v));
    all.push(("name", name));
    ParamExplanation {
        name: name.to_owned(),
        value: value.map(str::to_owned),
        explanation: scene.first_of(&refs, &all),
    }
}

/// Explains every parameter of a list, in order.
pub(crate) fn explain_params(
    scene: &Scene<'_, '_>,
    scopes: &[&str],
    params: &Params<'_>,
    args: &[(&str, &str)],
) -> Vec<ParamExplanation> {
    params
        .iter()
        .map(|p| {
            let name = p.name.to_string_lossy();
            let value = p.unquoted().map(|v| v.to_string_lossy().into_owned());
            explain_param(scene, scopes, &name, value.as_deref(), args)
        })
        .collect()
}
