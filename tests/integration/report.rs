//! `report`: one self-contained HTML file per capture, with nothing loaded from anywhere and
//! nothing from the capture able to run.

use crate::common::{root, sipladder};

pub(crate) fn report(args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.html");
    let run = sipladder()
        .arg("report")
        .args(args)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        matches!(run.status.code(), Some(0 | 2)),
        "report {args:?}: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    std::fs::read_to_string(&out).unwrap()
}

/// The tags of a page (`<name ...>`), as the browser will see them.
fn tags(html: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        let after = &rest[start + 1..];
        let end = after.find('>').map_or(after.len(), |e| e);
        if after.starts_with(|c: char| c.is_ascii_alphabetic()) {
            out.push(&after[..end]);
        }
        rest = &after[end.min(after.len())..];
    }
    out
}

#[test]
fn every_report_is_self_contained() {
    for entry in std::fs::read_dir(root().join("samples")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !(name.ends_with(".pcap") || name.ends_with(".pcapng")) {
            continue;
        }
        let html = report(&[&format!("samples/{name}")]);
        assert!(html.starts_with("<!DOCTYPE html>"), "{name}");
        assert!(
            !html.contains("http://") && !html.contains("https://"),
            "{name}: a network address in the page"
        );
        for tag in tags(&html) {
            let lower = tag.to_ascii_lowercase();
            assert!(
                !(lower.starts_with("link")
                    || lower.starts_with("img")
                    || lower.starts_with("iframe")),
                "{name}: <{tag}>"
            );
            assert!(
                !(lower.starts_with("script") && lower.contains("src")),
                "{name}: <{tag}>"
            );
        }
        assert!(html.contains("Content-Security-Policy"), "{name}");
    }
}

#[test]
fn a_hostile_capture_renders_inert() {
    let html = report(&["samples/hostile.pcap"]);
    // Our own script and its table data are the only ones.
    assert_eq!(html.matches("<script").count(), 2, "{html}");
    assert_eq!(
        html.matches(r#"<script type="application/json" id="rows">"#)
            .count(),
        1
    );
    for tag in tags(&html) {
        let lower = tag.to_ascii_lowercase();
        for handler in ["onerror", "onload", "onclick"] {
            assert!(!lower.contains(handler), "an event handler in <{tag}>");
        }
        assert!(!lower.starts_with("img"), "<{tag}>");
        assert!(!lower.starts_with("b>") && lower != "b", "<{tag}>");
    }
    // What the capture said is shown as text.
    assert!(html.contains("&lt;script&gt;alert(6)&lt;/script&gt;"));
    assert!(html.contains("&lt;img src=x onerror=alert(2)&gt;"));
    assert!(!html.contains('\u{1b}'));
}

#[test]
fn terminal_and_diagram_outputs_of_a_hostile_capture_are_inert() {
    for format in ["ascii", "unicode", "mermaid", "plantuml", "svg"] {
        let out = sipladder()
            .args([
                "flow",
                "samples/hostile.pcap",
                "--color",
                "never",
                "--format",
                format,
            ])
            .output()
            .unwrap();
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(
            !text.contains('\u{1b}'),
            "{format}: an escape sequence got through"
        );
        assert!(!text.contains('\u{7}'), "{format}: a bell got through");
        if format == "svg" {
            assert!(
                roxmltree::Document::parse(&text).is_ok(),
                "SVG stays well-formed"
            );
            assert!(!text.contains("<script"));
        }
    }
    let out = sipladder()
        .args(["calls", "samples/hostile.pcap"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&out.stdout).contains('\u{1b}'));
}

#[test]
fn a_large_report_lists_every_call_and_details_the_first() {
    let html = report(&["samples/lab-udp.pcap", "--max-calls", "1"]);
    assert!(html.contains("2 more calls are listed above without their ladders"));
    assert_eq!(html.matches("<section class=\"call\"").count(), 1);
    assert_eq!(html.matches("<tr data-call=").count(), 3);
}
