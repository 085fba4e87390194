//! `export --jsonl`: every SIP message as one JSON object per line, its call's number first,
//! then the fields of its record. A call's lines are written without the number when the call
//! is over (its number is known only at the end of the capture, see
//! [`crate::correlate::Options::message_lines`]); the number is put in when they are copied out.

use std::io::{self, Write};

use serde::Serialize;

use crate::correlate::MessageRecord;

/// A message's line, as `serde_json` writes it.
#[derive(Serialize)]
struct Line<'a> {
    call: usize,
    #[serde(flatten)]
    message: &'a MessageRecord,
}

/// Writes the line of a message of call `call`.
pub fn write_record(out: &mut dyn Write, call: usize, message: &MessageRecord) -> io::Result<()> {
    serde_json::to_writer(&mut *out, &Line { call, message })?;
    out.write_all(b"\n")
}

/// Writes the lines of call `call` from those of its records (`lines`: one JSON object per
/// line), byte for byte as [`write_record`] writes them.
pub fn write_numbered(out: &mut dyn Write, call: usize, lines: &[u8]) -> io::Result<()> {
    for line in lines.split(|&b| b == b'\n').filter(|l| !l.is_empty()) {
        write!(out, "{{\"call\":{call}")?;
        match line.strip_prefix(b"{") {
            Some(b"}") | None => out.write_all(b"}")?,
            Some(fields) => {
                out.write_all(b",")?;
                out.write_all(fields)?;
            }
        }
        out.write_all(b"\n")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::correlate::{Correlator, Options};
    use crate::reading;

    /// The lines written when each call is over, numbered at the end, are those of the
    /// records kept to the end, on every sample (with the spill forced from the first call).
    #[test]
    fn lines_numbered_late_are_the_records_lines() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("samples");
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
            .collect();
        paths.sort();
        let mut lines_seen = 0;
        for path in paths {
            let correlate = |options: Options| {
                let mut merged = reading::open(std::slice::from_ref(&path)).ok()?;
                let mut correlator = Correlator::new(options);
                reading::read_into(&mut merged, &mut correlator, None);
                Some(correlator.finish_streaming())
            };
            let Some((held, mut calls, _)) = correlate(Options {
                keep_messages: true,
                ..Options::default()
            }) else {
                continue;
            };
            let Some((_, mut spilled, _)) = correlate(Options {
                keep_messages: true,
                message_lines: true,
                spill_after: Some(0),
                ..Options::default()
            }) else {
                continue;
            };
            let (mut expected, mut written) = (Vec::new(), Vec::new());
            while let Some(Ok(call)) = calls.next() {
                for m in held.messages_of(&call) {
                    write_record(&mut expected, call.id, m).unwrap();
                }
            }
            while let Some(Ok((call, lines))) = spilled.next_with_lines() {
                write_numbered(&mut written, call.id, &lines).unwrap();
            }
            assert_eq!(
                String::from_utf8_lossy(&written),
                String::from_utf8_lossy(&expected),
                "{}",
                path.display()
            );
            lines_seen += expected.iter().filter(|&&b| b == b'\n').count();
        }
        assert!(lines_seen > 100);
    }

    #[test]
    fn an_empty_record_object_keeps_its_call() {
        let mut out = Vec::new();
        write_numbered(&mut out, 7, b"{}\n{\"index\":3}\n").unwrap();
        assert_eq!(out, b"{\"call\":7}\n{\"call\":7,\"index\":3}\n");
    }
}
