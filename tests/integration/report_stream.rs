//! `report` writes its page from calls handed out one by one: the page is the same whether
//! the calls were held or spilled to a temporary file, read from a file or from standard
//! input, and an attack's exchanges in the table's data are bounded.

use std::path::PathBuf;

use sipladder::correlate::{Correlator, MediaStream, Options};
use sipladder::explain::Lang;
use sipladder::stats::{StatsAndCalls, StatsCollector};
use sipladder::view::{Detail, Page};

use crate::common::{root, sample, sipladder};
use crate::report::report;

/// The page of `capture` without the calls' sections, its calls spilled after `spill_after`,
/// each attack's exchanges in the data up to `attack_rows`.
fn page_of(capture: &PathBuf, spill_after: Option<usize>, attack_rows: usize) -> String {
    let mut merged = sipladder::reading::open(std::slice::from_ref(capture)).unwrap();
    let mut both = StatsAndCalls {
        stats: StatsCollector::default(),
        correlator: Correlator::new(Options {
            spill_after,
            ..Options::default()
        }),
    };
    let summary = sipladder::reading::read_into(&mut merged, &mut both, None);
    let (correlation, calls, mut streams) = both.correlator.finish_streaming();
    let mut stats = both
        .stats
        .finish_with(vec!["capture".into()], summary.counters, &correlation);
    let mut page = Page::new(Detail::OutsideAttacksFirst(10))
        .unwrap()
        .with_attack_rows(attack_rows);
    for call in calls {
        let call = call.unwrap();
        stats.count_streamed(&call);
        let media = streams.of_call(call.id).unwrap();
        let media: Vec<&MediaStream> = media.iter().collect();
        page.add(&call, &media).unwrap();
    }
    page.take_detailed();
    let mut out = Vec::new();
    page.write(&stats, Lang::En, std::iter::empty(), &mut out)
        .unwrap();
    String::from_utf8(out).unwrap()
}

/// The table's data of a page.
fn data(html: &str) -> serde_json::Value {
    let block = html
        .split(r#"<script type="application/json" id="rows">"#)
        .nth(1)
        .unwrap();
    serde_json::from_str(block.split("</script>").next().unwrap()).unwrap()
}

#[test]
fn spilled_calls_write_the_page_held_calls_write() {
    for name in [
        "lab-udp.pcap",
        "diag-lossy-rtp.pcap",
        "lab-b2bua.pcap",
        "lab-fork.pcap",
        "attack/scanner.pcap",
    ] {
        let capture = sample(name);
        let held = page_of(&capture, None, usize::MAX);
        // Every call goes through the temporary file.
        let spilled = page_of(&capture, Some(0), usize::MAX);
        assert!(held == spilled, "{name}: the spill changed the page");
        assert!(held.ends_with("</html>"), "{name}");
    }
}

#[test]
fn standard_input_writes_the_page_a_file_writes() {
    for name in [
        "lab-udp.pcap",
        "diag-lossy-rtp.pcap",
        "lab-register-invite.pcap",
    ] {
        let path = root().join(sample(name));
        let from_file = report(&[path.to_str().unwrap(), "--lang", "en"]);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("stdin.html");
        let run = sipladder()
            .args(["report", "-", "--lang", "en", "-o"])
            .arg(&out)
            .pipe_stdin(&path)
            .unwrap()
            .output()
            .unwrap();
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let from_stdin = std::fs::read_to_string(&out).unwrap();
        // Only the input's name differs (the title, the heading and the summary).
        let named = path.display().to_string();
        assert_eq!(from_file.matches(&named).count(), 3, "{name}");
        assert!(
            from_file.replace(&named, "-") == from_stdin,
            "{name}: standard input gives another page"
        );
    }
}

#[test]
fn an_attack_holds_a_bounded_number_of_rows_and_says_how_to_list_them_all() {
    let html = page_of(&sample("attack/scanner.pcap"), Some(0), 100);
    let data = data(&html);
    let attack = data["attacks"][0].clone();
    assert_eq!(attack["exchanges"], 500);
    assert_eq!(attack["listed"], 100);
    assert_eq!(attack["last"], 500);
    assert_eq!(attack["messages"], 500);
    let rows = data["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 100, "the first 100 exchanges only");
    assert_eq!(rows[99][0], 100);
    assert!(html.contains(
        "500 exchange(s) shown as one row below. The table below holds the first 100 one by \
         one, <code>sipladder calls --expand</code> all of them."
    ));
    assert!(html.contains(
        "(400 more exchanges of attacks are not in this page: <code>sipladder calls \
         --expand</code> lists them all, <code>sipladder calls --json</code> with every field)"
    ));
    // Under the bound, every exchange is in the data and nothing is said.
    let whole = page_of(&sample("attack/scanner.pcap"), Some(0), 1_000);
    assert_eq!(data_rows(&whole), 500);
    assert!(!whole.contains("more exchanges of attacks are not in this page"));
}

fn data_rows(html: &str) -> usize {
    data(html)["rows"].as_array().unwrap().len()
}
