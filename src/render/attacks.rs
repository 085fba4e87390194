//! The attacks section of `sipladder stats`: one block per finding, what it is, then its
//! figures (who, against what, how, how fast).

use crate::correlate::attack::{AttackFinding, Named, verdict::thousands};

/// Attacks told in full; the others are counted (`--json` lists them all).
const SHOWN: usize = 20;

/// What a shape is called in the heading of its block.
fn shape_name(f: &AttackFinding) -> String {
    let what = match f.shape {
        "flood" => "flood from one source",
        "sweep" => "sweep of many addresses",
        "enumeration" => "user enumeration",
        "distributed" => "from many sources",
        "scanner" => "known scanner",
        "guessing" => "password guessing",
        other => other,
    };
    match f.tool {
        Some(tool) => format!("{what} ({tool})"),
        None => what.to_string(),
    }
}

/// "1,500: a (3), b (2)", or the count alone when no value stands out.
fn counted(about: &str, n: u64, items: &[Named]) -> String {
    if items.is_empty() {
        return format!("{about}{}", thousands(n));
    }
    format!("{about}{}: {}", thousands(n), list(items))
}

fn list(items: &[Named]) -> String {
    items
        .iter()
        .map(|n| format!("{} ({})", n.name, thousands(n.count)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn counts<'a>(items: impl Iterator<Item = (&'a String, &'a u64)>) -> String {
    let mut all: Vec<_> = items.collect();
    all.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    all.iter()
        .map(|(k, n)| format!("{k} {}", thousands(**n)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The attacks in text, or nothing when there are none.
pub fn attacks(findings: &[AttackFinding]) -> String {
    let mut out = String::new();
    if findings.is_empty() {
        return out;
    }
    out.push_str("Attacks:\n");
    for f in findings.iter().take(SHOWN) {
        let about = |n: u64| if f.estimated && n > 32 { "about " } else { "" };
        let line = crate::explain::attack::line(f, crate::explain::Lang::En);
        out.push_str(&format!("  #{} {}: {line}\n", f.number, f.code));
        let mut rows: Vec<(&str, String)> = vec![("Shape", shape_name(f))];
        if let Some(aor) = &f.aor {
            rows.push(("AOR", aor.clone()));
        }
        rows.extend([
            ("Attempts", {
                let mut text = format!("{} ({})", thousands(f.attempts), counts(f.methods.iter()));
                if f.credentials > 0 {
                    text.push_str(&format!(", {} with credentials", thousands(f.credentials)));
                }
                if f.malformed > 0 {
                    text.push_str(&format!(", {} malformed", thousands(f.malformed)));
                }
                text
            }),
            (
                "Answers",
                match (f.answers.is_empty(), f.unanswered) {
                    (true, _) => format!("none ({} unanswered)", thousands(f.unanswered)),
                    (false, 0) => counts(f.answers.iter()),
                    (false, n) => {
                        format!("{}, {} unanswered", counts(f.answers.iter()), thousands(n))
                    }
                },
            ),
            (
                "Sources",
                counted(about(f.sources), f.sources, &f.top_sources),
            ),
            (
                "Targets",
                counted(about(f.targets), f.targets, &f.top_targets),
            ),
        ]);
        if f.users > 0 {
            rows.push(("Users", counted(about(f.users), f.users, &f.top_users)));
        }
        if !f.user_agents.is_empty() {
            rows.push(("User-Agents", list(&f.user_agents)));
        }
        rows.push((
            "Time",
            format!(
                "{} → {} ({:.1} s, {} a second, {} at the peak)",
                f.start,
                f.end,
                f.seconds,
                f.rate,
                thousands(f.peak_rate)
            ),
        ));
        for (name, value) in rows {
            out.push_str(&format!("    {name:<12} {value}\n"));
        }
    }
    if findings.len() > SHOWN {
        out.push_str(&format!(
            "  … and {} more (stats --json lists them all)\n",
            thousands((findings.len() - SHOWN) as u64)
        ));
    }
    out
}
