//! The call table as data for the page's script: one compact JSON array per call, hosts
//! numbered once, so that a report of 100,000 calls stays small and its table is drawn a page
//! at a time instead of as 100,000 rows of HTML.
//!
//! Rows are written to a temporary file as the calls go by, and copied into the page at its
//! end: the table's data is never held whole in memory.

use std::fs::File;
use std::io::{self, BufWriter, Seek, SeekFrom, Write};

use rustc_hash::FxHashMap as HashMap;

use crate::render::html::{AttackView, script_json};

use super::row::CallRow;

/// The order of the values in each row, written in the JSON for the script to read.
const COLUMNS: [&str; 16] = [
    "id",
    "kind",
    "start",
    "from",
    "to",
    "state",
    "status_code",
    "status",
    "messages",
    "retransmissions",
    "duplicates",
    "setup_ms",
    "duration_ms",
    "participants",
    "problems",
    "attack",
];

/// The rows of the table, written out as they come.
pub struct Rows {
    file: BufWriter<File>,
    /// Rows written.
    written: usize,
    /// Each participant once, in order of first appearance; rows hold their indices.
    hosts: Vec<Box<str>>,
    numbers: HashMap<Box<str>, usize>,
    /// One row's JSON, reused.
    json: Vec<u8>,
}

impl Rows {
    /// No row yet, in a new temporary file.
    pub fn new() -> io::Result<Rows> {
        Ok(Rows {
            file: BufWriter::with_capacity(1 << 16, tempfile::tempfile()?),
            written: 0,
            hosts: Vec::new(),
            numbers: HashMap::default(),
            json: Vec::new(),
        })
    }

    /// Writes the row of a call (`attack`: the attack it is part of).
    pub fn push(&mut self, row: &CallRow, attack: Option<usize>) -> io::Result<()> {
        let participants: Vec<usize> = row
            .participants
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| self.number(p))
            .collect();
        // A tuple is written as a JSON array, as the script reads it (`COLUMNS`).
        let values = (
            row.id,
            &row.kind,
            &row.start,
            &row.from,
            &row.to,
            &row.state,
            row.status_code,
            &row.status,
            row.messages,
            row.retransmissions,
            row.duplicates,
            row.setup_ms,
            row.duration_ms,
            participants,
            &row.problems,
            attack,
        );
        self.json.clear();
        serde_json::to_writer(&mut self.json, &values)?;
        let json = std::str::from_utf8(&self.json).map_err(io::Error::other)?;
        if self.written > 0 {
            self.file.write_all(b",")?;
        }
        self.file.write_all(script_json(json).as_bytes())?;
        self.written += 1;
        Ok(())
    }

    /// The index of a participant in the hosts, numbered as they come.
    fn number(&mut self, host: &str) -> usize {
        if let Some(&n) = self.numbers.get(host) {
            return n;
        }
        let n = self.hosts.len();
        self.hosts.push(host.into());
        self.numbers.insert(host.into(), n);
        n
    }

    /// Writes `{"attacks":[…],"columns":[…],"hosts":[…],"rows":[[…],…]}` to `out`, safe inside
    /// `<script>`; `participants` holds indices into `hosts`, the section of a detailed call
    /// is `call-{id}`. `attacks` are given as `{"code","exchanges","last","line","listed",
    /// "messages","number","shape"}`: the script shows the rows of each as one until asked
    /// for them one by one.
    pub fn write_object(self, attacks: &[AttackView], out: &mut dyn Write) -> io::Result<()> {
        // Through a `Value`, whose objects write their keys in order, as the page always had.
        let attacks = serde_json::to_value(attacks)?.to_string();
        let columns = serde_json::to_string(&COLUMNS)?;
        let hosts = serde_json::to_string(&self.hosts)?;
        write!(
            out,
            "{{\"attacks\":{},\"columns\":{},\"hosts\":{},\"rows\":[",
            script_json(&attacks),
            script_json(&columns),
            script_json(&hosts)
        )?;
        let mut file = self.file.into_inner().map_err(|e| e.into_error())?;
        file.seek(SeekFrom::Start(0))?;
        io::copy(&mut file, out)?;
        out.write_all(b"]}")
    }
}
