//! What a shell user meets around the commands: completions, the manual page, examples at the
//! end of every `--help`, a pipe closed early, and captures in other container formats.

use std::io::Read;
use std::process::{Command, Stdio};

use crate::common::{root, sipladder};

const SUBCOMMANDS: [&str; 8] = [
    "stats",
    "calls",
    "flow",
    "report",
    "explain",
    "export",
    "completions",
    "man",
];

#[test]
fn every_help_ends_with_examples() {
    for sub in SUBCOMMANDS {
        let out = sipladder().args([sub, "--help"]).output().unwrap();
        let help = String::from_utf8(out.stdout).unwrap();
        let (_, examples) = help
            .rsplit_once("Examples:\n")
            .unwrap_or_else(|| panic!("{sub}: no examples:\n{help}"));
        let lines: Vec<&str> = examples.lines().filter(|l| !l.trim().is_empty()).collect();
        assert!((2..=3).contains(&lines.len()), "{sub}: {lines:?}");
        assert!(
            lines.iter().all(|l| l.contains("sipladder")),
            "{sub}: {lines:?}"
        );
    }
}

#[test]
fn completions_are_valid_shell() {
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = sipladder().args(["completions", shell]).output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{shell}");
        let script = String::from_utf8(out.stdout).unwrap();
        assert!(script.contains("sipladder"), "{shell}");
        assert!(
            script.contains("problems"),
            "{shell}: options are completed"
        );
    }
    let out = sipladder().args(["completions", "bash"]).output().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sipladder.bash");
    std::fs::write(&path, &out.stdout).unwrap();
    match Command::new("bash").arg("-n").arg(&path).status() {
        Ok(status) => assert!(status.success(), "bash -n rejects the completion script"),
        Err(_) => eprintln!("bash is not installed: the completion script is not checked"),
    }
}

#[test]
fn the_manual_page_renders() {
    let out = sipladder().arg("man").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(page.starts_with(".ie") || page.starts_with(".TH"), "{page}");
    for sub in [
        "SIPLADDER CALLS",
        "SIPLADDER EXPORT",
        "--problems",
        "Examples:",
    ] {
        assert!(page.contains(sub), "{sub} missing from the manual page");
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sipladder.1");
    std::fs::write(&path, page).unwrap();
    match Command::new("man")
        .arg("-l")
        .arg(&path)
        .env("MANPAGER", "cat")
        .env("PAGER", "cat")
        .output()
    {
        Ok(out) if out.status.success() => {
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(text.contains("SIPLADDER CALLS"), "{text}");
        }
        _ => eprintln!("man is not installed: the manual page is not rendered"),
    }
}

#[test]
fn a_pipe_closed_early_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_sipladder"))
        .current_dir(root())
        .args(["calls", "--json", "samples/lab-udp-concurrent.pcap"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read a few bytes, then close the pipe as `head -c` would.
    let mut first = [0u8; 16];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn other_capture_formats_are_named_with_their_conversion() {
    let dir = tempfile::tempdir().unwrap();
    for (name, magic, format) in [
        (
            "trace.cap",
            &b"GMBU\x00\x02"[..],
            "Microsoft Network Monitor 2",
        ),
        (
            "trace.snoop",
            &b"snoop\0\0\0\0\0\0\x02\0\0\0\x04"[..],
            "Solaris snoop",
        ),
        ("trace.enc", &b"TRSNIFF data    \x1a"[..], "Sniffer (DOS)"),
    ] {
        let mut bytes = magic.to_vec();
        bytes.resize(128, 0);
        let path = dir.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = sipladder().arg("stats").arg(&path).output().unwrap();
        assert_eq!(out.status.code(), Some(1));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains(&format!("is a {format} capture")), "{err}");
        assert!(err.contains("editcap -F pcap"), "{err}");
    }
}
