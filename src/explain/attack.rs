//! An attack ([`crate::correlate::attack`]) told in one line, in the chosen language: what the
//! `calls` table and the report show in place of its exchanges, and what each exchange's `scan`
//! or `brute-force` diagnosis says it is part of.

use crate::correlate::attack::AttackFinding;

use super::Lang;
use super::catalog::catalog;

/// "500 INVITE attempts from 500 sources to 192.0.2.1, unanswered".
pub fn line(f: &AttackFinding, lang: Lang) -> String {
    line_of_facts(&f.facts(), lang)
}

/// "a scan from many sources (SIPVicious)".
pub fn shape(f: &AttackFinding, lang: Lang) -> String {
    shape_of_facts(&f.facts(), lang)
}

fn fact<'a>(facts: &'a [(&'static str, String)], name: &str) -> &'a str {
    facts
        .iter()
        .find(|(k, _)| *k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// The line, from an attack's facts (those an exchange's finding carries).
pub(crate) fn line_of_facts(facts: &[(&'static str, String)], lang: Lang) -> String {
    let cat = catalog(lang);
    let one_or_many = |one: &str, many: &str, key: &str| {
        if one.is_empty() {
            cat.text(key, &[("n", many)])
        } else {
            one.to_string()
        }
    };
    let from = one_or_many(
        fact(facts, "source"),
        fact(facts, "sources"),
        "attack.sources",
    );
    let to = one_or_many(
        fact(facts, "target"),
        fact(facts, "targets"),
        "attack.addresses",
    );
    let codes = fact(facts, "codes");
    let unanswered = fact(facts, "unanswered");
    let answers = if codes.is_empty() {
        cat.text("attack.unanswered", &[])
    } else if unanswered == "0" {
        cat.text("attack.answered", &[("codes", codes)])
    } else {
        cat.text("attack.partly", &[("codes", codes), ("n", unanswered)])
    };
    let line = cat.text(
        "attack.line",
        &[
            ("attempts", fact(facts, "attempts")),
            ("methods", fact(facts, "methods")),
            ("from", &from),
            ("to", &to),
            ("answers", &answers),
        ],
    );
    match lang {
        Lang::En => line,
        Lang::Fr => french_digits(&line),
    }
}

/// `1,500,000` as French writes it, `1 500 000` (narrow no-break spaces), leaving the commas
/// that separate words alone.
fn french_digits(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let digit = |i: Option<usize>| {
        i.and_then(|i| chars.get(i))
            .is_some_and(char::is_ascii_digit)
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            if c == ',' && digit(i.checked_sub(1)) && digit(Some(i + 1)) {
                '\u{202f}'
            } else {
                c
            }
        })
        .collect()
}

/// The shape's name, with the tool when its User-Agents name one.
pub(crate) fn shape_of_facts(facts: &[(&'static str, String)], lang: Lang) -> String {
    let cat = catalog(lang);
    let shape = cat.text(&format!("attack.{}", fact(facts, "shape")), &[]);
    match fact(facts, "tool") {
        "" => shape,
        tool => cat.text("attack.with-tool", &[("shape", &shape), ("tool", tool)]),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn french_digits_group_with_narrow_spaces() {
        assert_eq!(
            super::french_digits("1,500,000 tentatives, réponses 404 ×1,200"),
            "1\u{202f}500\u{202f}000 tentatives, réponses 404 ×1\u{202f}200"
        );
    }
}
