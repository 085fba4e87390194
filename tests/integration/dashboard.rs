//! The report's dashboard: every chart is well-formed SVG with a caption, drawn as reviewed
//! (snapshots, one line per element), and the call table's data parses back whole.

use crate::report::report;

/// The charts of a page: (anchor, title, SVG, caption).
fn charts(html: &str) -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for part in html.split("<figure class=\"chart\" id=\"").skip(1) {
        let id = part.split('"').next().unwrap().to_string();
        let title = part
            .split("<h3>")
            .nth(1)
            .unwrap()
            .split("</h3>")
            .next()
            .unwrap();
        let start = part.find("<svg").unwrap();
        let end = part.find("</svg>").unwrap() + "</svg>".len();
        let caption = part.split("<figcaption>").nth(1).unwrap();
        let caption = caption.split("</figcaption>").next().unwrap();
        out.push((
            id,
            title.to_string(),
            part[start..end].to_string(),
            caption.to_string(),
        ));
    }
    out
}

/// The charts of a report as a snapshot: each titled, its SVG one element a line.
fn dashboard_of(args: &[&str]) -> String {
    let html = report(args);
    let charts = charts(&html);
    assert_eq!(charts.len(), 9, "{args:?}: every chart of the dashboard");
    let mut text = String::new();
    for (id, title, svg, caption) in charts {
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{id}: not well-formed: {e}\n{svg}"));
        assert!(doc.root_element().has_tag_name("svg"));
        assert!(doc.root_element().children().count() > 0, "{id} is empty");
        assert!(!caption.is_empty(), "{id} has no caption");
        text.push_str(&format!(
            "== {id}: {title}\n{caption}\n{}\n\n",
            svg.replace("><", ">\n<")
        ));
    }
    text
}

#[test]
fn dashboard_of_the_lab_capture() {
    insta::assert_snapshot!(dashboard_of(&["samples/lab-udp.pcap"]));
}

#[test]
fn dashboard_of_failed_and_lossy_calls() {
    insta::assert_snapshot!(dashboard_of(&[
        "samples/lab-udp.pcap",
        "samples/lab-busy.pcap",
        "samples/lab-cancel.pcap",
        "samples/diag-lossy-rtp.pcap",
        "samples/diag-not-found.pcap",
        "samples/diag-server-error.pcap",
        "samples/diag-no-ack.pcap",
    ]));
}

#[test]
fn the_table_data_parses_back_whole_and_closes_no_element() {
    for sample in ["samples/lab-udp.pcap", "samples/hostile.pcap"] {
        let html = report(&[sample]);
        let start = html
            .find(r#"<script type="application/json" id="rows">"#)
            .unwrap();
        let block = &html[start..];
        let body = &block[block.find('>').unwrap() + 1..block.find("</script>").unwrap()];
        assert!(!body.contains('<') && !body.contains('>') && !body.contains('&'));
        let data: serde_json::Value = serde_json::from_str(body).unwrap();
        let rows = data["rows"].as_array().unwrap();
        assert_eq!(
            rows.len(),
            html.matches("<tr data-call=").count(),
            "{sample}: every row in the data, and as HTML while fewer than 100"
        );
        assert_eq!(data["columns"][0], "id");
    }
}
