//! `sipladder tui`: the browser's rows tell the same story as `calls --json`, and the real
//! binary, driven in tmux, lists, opens a ladder, searches, quits with status 0 and gives the
//! terminal back.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use sipladder::correlate::JoinPolicy;
use sipladder::tui::session::Session;

use crate::common::{json_of, root, sample, sipladder};

/// Samples with registrations, calls, failures, joined legs and media problems.
const SAMPLES: [&str; 6] = [
    "lab-register-invite.pcap",
    "lab-busy.pcap",
    "lab-b2bua.pcap",
    "diag-one-way-rtp.pcap",
    "diag-lossy-rtp.pcap",
    "lab-udp-concurrent.pcap",
];

#[test]
fn the_rows_are_the_calls_of_calls_json() {
    for name in SAMPLES {
        let json = json_of(sipladder().args(["calls", "--json"]).arg(sample(name)));
        let session = Session::read(vec![root().join(sample(name))], JoinPolicy::All).unwrap();
        let list = session.list();
        let rows = list.all();
        let calls = json["calls"].as_array().unwrap();
        assert_eq!(rows.len(), calls.len(), "{name}");
        for (row, call) in rows.iter().zip(calls) {
            let at = format!("{name} #{}", row.id);
            assert_eq!(Some(row.id as u64), call["id"].as_u64(), "{at}");
            assert_eq!(row.kind, call["kind"], "{at}");
            assert_eq!(row.start, call["start"], "{at}");
            assert_eq!(row.from, call["from"], "{at}");
            assert_eq!(row.to, call["to"], "{at}");
            assert_eq!(row.state, call["state"], "{at}");
            assert_eq!(
                row.status_code,
                call["final_status"].as_u64().unwrap_or(0) as u16,
                "{at}"
            );
            assert_eq!(Some(u64::from(row.messages)), call["messages"].as_u64());
            assert_eq!(row.duration_ms, call["duration_ms"].as_u64(), "{at}");
            assert_eq!(row.setup_ms, call["setup_ms"].as_u64(), "{at}");
            assert_eq!(
                row.participants,
                call["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap().to_string())
                    .collect::<Vec<_>>(),
                "{at}"
            );
            let problems: Vec<&str> = call["diagnosis"]
                .as_array()
                .map(|found| {
                    found
                        .iter()
                        .filter(|d| d["severity"] != "info")
                        .filter_map(|d| d["code"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            assert_eq!(row.problems, problems.join(", "), "{at}");
        }
    }
}

/// A tmux server of its own, killed at the end of the test.
struct Tmux {
    socket: String,
}

impl Tmux {
    fn run(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.run(&["capture-pane", "-p", "-t", "tui"])
    }

    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "tui"];
        args.extend(keys);
        self.run(&args);
    }

    /// Waits until the screen shows `text`; the screen last seen otherwise.
    fn wait_for(&self, text: &str) -> Result<String, String> {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return Ok(screen);
            }
            if start.elapsed() > Duration::from_secs(20) {
                return Err(screen);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

#[test]
fn the_binary_in_tmux_lists_opens_searches_and_quits() {
    if Command::new("tmux").arg("-V").output().is_err() {
        println!("skipped: tmux is not installed");
        return;
    }
    let binary: PathBuf = assert_cmd::cargo::cargo_bin!("sipladder").to_path_buf();
    let capture = root().join(sample("lab-register-invite.pcap"));
    let tmux = Tmux {
        socket: format!("sipladder-test-{}", std::process::id()),
    };
    // After the browser, the shell prints its status and whether the terminal is back in
    // canonical mode with echo (raw mode turns both off).
    let script = format!(
        "{} tui --lang en {}; echo \"EXIT=$?\"; stty -a | tr ' ' '\\n' | grep -xE -- '-?(icanon|echo)' | tr '\\n' ' '; echo; sleep 30",
        binary.display(),
        capture.display()
    );
    tmux.run(&[
        "new-session",
        "-d",
        "-s",
        "tui",
        "-x",
        "120",
        "-y",
        "30",
        "-e",
        "LANG=C",
        &script,
    ]);
    let list = tmux
        .wait_for("Diagnosis")
        .unwrap_or_else(|s| panic!("no list:\n{s}"));
    assert!(list.contains("7 calls"), "{list}");
    assert!(list.contains("alice@REALM → bob@REALM"), "{list}");

    // The first call: three rows down.
    tmux.keys(&["Down", "Down", "Enter"]);
    let ladder = tmux
        .wait_for("#3 ladder")
        .unwrap_or_else(|s| panic!("no ladder:\n{s}"));
    assert!(ladder.contains("INVITE sip:bob@REALM (SDP) F1"), "{ladder}");
    assert!(ladder.contains("The UAC calls sip:bob@REALM."), "{ladder}");

    // Escape alone: a key right behind it would make an Alt sequence of both.
    tmux.keys(&["Escape"]);
    tmux.wait_for("Diagnosis")
        .unwrap_or_else(|s| panic!("no list after Escape:\n{s}"));
    tmux.keys(&["/", "c", "o", "m", "p", "l"]);
    let found = tmux
        .wait_for("/compl")
        .unwrap_or_else(|s| panic!("no search:\n{s}"));
    assert!(found.contains("3 of 7 calls"), "{found}");
    assert!(found.contains("completed"), "{found}");
    assert!(!found.contains("registered"), "{found}");

    tmux.keys(&["Enter", "q"]);
    let after = tmux
        .wait_for("EXIT=")
        .unwrap_or_else(|s| panic!("no exit:\n{s}"));
    assert!(after.contains("EXIT=0"), "{after}");
    let modes = tmux
        .wait_for("icanon")
        .unwrap_or_else(|s| panic!("no stty:\n{s}"));
    assert!(
        modes.contains("icanon") && !modes.contains("-icanon"),
        "{modes}"
    );
    assert!(!modes.contains("-echo"), "{modes}");
    // The alternate screen is left: the list is no longer on screen.
    assert!(!modes.contains("Diagnosis"), "{modes}");
}

#[test]
fn e_cuts_the_same_capture_as_export_with_rtp() {
    use sipladder::explain::Lang;
    use sipladder::render::model::Aliases;
    use sipladder::tui::actions::write;
    use sipladder::tui::app::{Action, App};

    let dir = tempfile::tempdir().unwrap();
    let name = "seed-call.pcap";
    let session = Session::read(vec![root().join(sample(name))], JoinPolicy::All).unwrap();
    let mut app = App::new(name.into(), Lang::En, Aliases::default());
    app.loaded(session.list());
    let id = app.list.all().iter().find(|r| r.kind == "call").unwrap().id;
    let ours = dir.path().join("tui.pcap");
    let said = write(&session, &app, Action::Export, id, &ours).unwrap();
    assert!(said.contains("RTP"), "{said}");
    let theirs = dir.path().join("export.pcap");
    crate::common::stdout_of(
        sipladder()
            .args(["export", "--with-rtp", "--call", &id.to_string(), "-o"])
            .arg(&theirs)
            .arg(sample(name)),
    );
    assert_eq!(
        std::fs::read(&ours).unwrap(),
        std::fs::read(&theirs).unwrap()
    );

    // `s` writes the ladder `flow` draws, in the format the extension names.
    let svg = dir.path().join("ladder.svg");
    write(&session, &app, Action::Ladder, id, &svg).unwrap();
    let flow = crate::common::stdout_of(
        sipladder()
            .args(["flow", "--format", "svg", "--call", &id.to_string()])
            .arg(sample(name)),
    );
    assert_eq!(std::fs::read(&svg).unwrap(), flow);
}

#[test]
fn the_browser_needs_a_terminal() {
    let out = sipladder()
        .arg("tui")
        .arg(sample("seed-call.pcap"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("tui needs a terminal"), "{stderr}");
}

#[test]
fn r_on_the_list_writes_the_report_of_the_calls_listed() {
    use sipladder::explain::Lang;
    use sipladder::render::model::Aliases;
    use sipladder::tui::actions::write;
    use sipladder::tui::app::{Action, App};

    let dir = tempfile::tempdir().unwrap();
    for name in [
        "lab-register-invite.pcap",
        "diag-lossy-rtp.pcap",
        "lab-b2bua.pcap",
    ] {
        let path = root().join(sample(name));
        let session = Session::read(vec![path.clone()], JoinPolicy::All).unwrap();
        let mut app = App::new(name.into(), Lang::En, Aliases::default());
        app.loaded(session.list());
        let ours = dir.path().join("tui.html");
        write(&session, &app, Action::ReportListed, 0, &ours).unwrap();
        let theirs = dir.path().join("report.html");
        crate::common::stdout_of(
            sipladder()
                .args(["report", "--lang", "en", "-o"])
                .arg(&theirs)
                .arg(&path),
        );
        let (ours, theirs) = (
            std::fs::read_to_string(&ours).unwrap(),
            std::fs::read_to_string(&theirs).unwrap(),
        );
        assert!(
            ours == theirs,
            "{name}: the browser's report differs from report's"
        );
    }
}
