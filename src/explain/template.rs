//! Filling catalog templates: `{name}` placeholders replaced by values from the packet.
//!
//! A placeholder written with a capital first letter (`{Sender}`) takes the value of its
//! lower-case name with the first letter capitalised, so a translator can start a sentence
//! with a value. `{{` and `}}` stand for literal braces. A placeholder with no value is left
//! as written, so a mistake shows in the output instead of silently vanishing.

/// Replaces the placeholders of `template` with the values of `args`.
pub(crate) fn fill(template: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 32);
    let mut rest = template;
    while let Some(pos) = rest.find(['{', '}']) {
        let (before, from) = rest.split_at(pos);
        out.push_str(before);
        if let Some(after) = from.strip_prefix("{{") {
            out.push('{');
            rest = after;
            continue;
        }
        if let Some(after) = from.strip_prefix("}}") {
            out.push('}');
            rest = after;
            continue;
        }
        let inner = from.get(1..).unwrap_or_default();
        let close = inner.find('}').filter(|_| from.starts_with('{'));
        match close.and_then(|c| inner.get(..c).map(|name| (name, c))) {
            Some((name, c)) if is_name(name) => {
                match lookup(name, args) {
                    Some(v) => out.push_str(&v),
                    None => {
                        out.push('{');
                        out.push_str(name);
                        out.push('}');
                    }
                }
                rest = inner.get(c + 1..).unwrap_or_default();
            }
            _ => {
                let (ch, after) = from.split_at(1);
                out.push_str(ch);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn is_name(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
}

fn lookup(name: &str, args: &[(&str, &str)]) -> Option<String> {
    if let Some((_, v)) = args.iter().find(|(k, _)| *k == name) {
        return Some((*v).to_owned());
    }
    let lower = name.to_ascii_lowercase();
    let starts_upper = name.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    if !starts_upper {
        return None;
    }
    args.iter()
        .find(|(k, _)| *k == lower)
        .map(|(_, v)| capitalize(v))
}

/// The text with its first letter in upper case (`l'UAC` → `L'UAC`), unless it starts with
/// an address or a URI, which are written as the packet has them (`sip:bob@REALM`).
pub(crate) fn capitalize(s: &str) -> String {
    let first_word = s.split_whitespace().next().unwrap_or_default();
    if first_word.contains([':', '@']) {
        return s.to_string();
    }
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The placeholder names a template uses, in order of first use, lower-cased.
#[cfg(test)]
pub(crate) fn placeholders(template: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = template.replace("{{", "").replace("}}", "");
    while let Some(open) = rest.find('{') {
        let inner = rest.get(open + 1..).unwrap_or_default().to_owned();
        match inner.find('}') {
            Some(c) => {
                let name = inner.get(..c).unwrap_or_default();
                if is_name(name) {
                    let lower = name.to_ascii_lowercase();
                    if !names.contains(&lower) {
                        names.push(lower);
                    }
                }
                rest = inner.get(c + 1..).unwrap_or_default().to_owned();
            }
            None => break,
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_and_keeps() {
        let args = [("host", "192.0.2.10"), ("sender", "l'UAC")];
        assert_eq!(fill("IP : {host}.", &args), "IP : 192.0.2.10.");
        assert_eq!(fill("{Sender} demande", &args), "L'UAC demande");
        assert_eq!(fill("{missing} {{x}}", &args), "{missing} {x}");
        assert_eq!(fill("a { b } c {", &args), "a { b } c {");
        assert_eq!(fill("é{host}é", &args), "é192.0.2.10é");
        assert_eq!(
            placeholders("{Sender} {host} {sender} {{no}}"),
            ["sender", "host"]
        );
    }

    #[test]
    fn values_are_not_templates() {
        let args = [("value", "{host}")];
        assert_eq!(fill("{value}", &args), "{host}");
    }
}
