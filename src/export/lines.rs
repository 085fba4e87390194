//! `export --jsonl`: every SIP message as one JSON object per line, its call's number first,
//! then the fields of its record. A call's records are set aside when the call is over and
//! handed out with it in number order at the end of the capture
//! ([`crate::correlate::Options::message_records`]).

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

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::correlate::{Correlator, Options};
    use crate::reading;

    /// The records set aside when each call is over, handed out at the end, write the lines
    /// of the records kept to the end, on every sample (with the spill forced from the first
    /// call).
    #[test]
    fn records_set_aside_write_the_same_lines() {
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
                message_records: true,
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
            while let Some(Ok((call, records))) = spilled.next_with_records() {
                for m in &records {
                    write_record(&mut written, call.id, m).unwrap();
                }
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
}
