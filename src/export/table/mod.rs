/*!
Parquet tables of the calls, their messages and their media streams (`export --parquet DIR`),
for an engine that reads many capture sets at once (DuckDB, Spark, Trino, ClickHouse): the
fields of `calls --json` and `export --jsonl`, typed (times as UTC timestamps, codes and
counts as integers, lists as list columns), with keys that join (`messages.call = calls.id`,
`media.call = calls.id`) and a [`call_uid`] that names a call the same way whatever set of
files it was read from.
*/

mod calls;
mod media;
mod messages;
mod writer;

use std::path::{Path, PathBuf};

use rustc_hash::FxHashMap as HashMap;
use sha2::{Digest, Sha256};

use crate::capture::Timestamp;
use crate::correlate::spill::Streams;
use crate::correlate::{CallSummary, Calls, MediaStream, MessageRecord};
use crate::explain::{Lang, diagnosis};

use writer::Table;
pub use writer::{BATCH_ROWS, ROW_GROUP_BYTES, ROW_GROUP_ROWS};

/// The files written in the output folder.
pub const CALLS_FILE: &str = "calls.parquet";
/// See [`CALLS_FILE`].
pub const MESSAGES_FILE: &str = "messages.parquet";
/// See [`CALLS_FILE`].
pub const MEDIA_FILE: &str = "media.parquet";

/// Rows written in each table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rows {
    /// Calls (and registrations and other exchanges).
    pub calls: u64,
    /// SIP messages of those calls.
    pub messages: u64,
    /// RTP streams of those calls.
    pub media: u64,
}

/// Why the tables could not be written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A file of the output folder could not be created.
    #[error("cannot create {}", path.display())]
    Create {
        /// The file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The Parquet writer failed (a full disk, most often).
    #[error(transparent)]
    Parquet(#[from] parquet::errors::ParquetError),
    /// Rows did not fit their schema.
    #[error(transparent)]
    Arrow(#[from] arrow_schema::ArrowError),
    /// The calls or streams set aside during the reading could not be read back.
    #[error("the calls set aside in a temporary file could not be read back")]
    Read(#[from] std::io::Error),
}

/// A call's name across capture sets: the first 16 hex digits of the SHA-256 of its sorted
/// Call-IDs and the microsecond of its first message, joined by line feeds (a Call-ID may hold
/// a registration and a call: the time tells them apart). The call's number (`id`) depends on
/// what else the files hold; this does not, as long as the files hold all of its legs. DuckDB
/// computes the same from the table:
/// `left(sha256(array_to_string(list_sort(call_ids), chr(10)) || chr(10) || epoch_us(start)), 16)`.
pub fn call_uid(call_ids: &[String], start: Timestamp) -> String {
    uid_text(uid_bits(call_ids, start))
}

/// The 64 bits [`call_uid`] writes in hex.
fn uid_bits(call_ids: &[String], start: Timestamp) -> u64 {
    let mut sorted: Vec<&str> = call_ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let key = format!("{}\n{}", sorted.join("\n"), writer::micros(start));
    let digest = Sha256::digest(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

/// A uid as [`call_uid`] writes it.
fn uid_text(bits: u64) -> String {
    format!("{bits:016x}")
}

/// The three tables of an output folder, written as the calls come: a call's row and its
/// messages' rows when it is handed over, the media streams after the calls (their order is
/// the streams' own). Nothing is held but the rows of the batch being gathered, and the uid of
/// each call that has media streams.
pub struct Tables {
    calls: Table<calls::CallColumns>,
    messages: Table<messages::MessageColumns>,
    media: Table<media::MediaColumns>,
    /// The capture files read, named in every row of the calls table.
    captures: Vec<String>,
    /// The uids of the calls written that have media streams, by call number (as bits: a
    /// long capture has hundreds of thousands).
    uid_of_call: HashMap<usize, u64>,
}

impl Tables {
    /// Creates `calls.parquet`, `messages.parquet` and `media.parquet` in `dir` (which must
    /// exist), for calls read from `captures`.
    pub fn create(dir: &Path, captures: &[PathBuf]) -> Result<Tables, TableError> {
        Ok(Tables {
            calls: Table::create(&dir.join(CALLS_FILE), calls::CallColumns::new())?,
            messages: Table::create(&dir.join(MESSAGES_FILE), messages::MessageColumns::new())?,
            media: Table::create(&dir.join(MEDIA_FILE), media::MediaColumns::new())?,
            captures: captures.iter().map(|p| p.display().to_string()).collect(),
            uid_of_call: HashMap::default(),
        })
    }

    /// Writes a call's row and its messages' rows; `with_media` when streams of it will follow
    /// ([`Tables::push_stream`]).
    pub fn push_call(
        &mut self,
        call: &CallSummary,
        messages: &[MessageRecord],
        with_media: bool,
    ) -> Result<(), TableError> {
        let bits = uid_bits(&call.call_ids, call.start_ts);
        let uid = uid_text(bits);
        self.calls.columns.push(call, &uid, &self.captures);
        self.calls.row_added()?;
        for m in messages {
            self.messages.columns.push(call.id, &uid, m);
            self.messages.row_added()?;
        }
        if with_media {
            self.uid_of_call.insert(call.id, bits);
        }
        Ok(())
    }

    /// Writes a media stream's row, with its call's uid when its call was written.
    pub fn push_stream(&mut self, stream: &MediaStream) -> Result<(), TableError> {
        let uid = stream
            .call
            .and_then(|id| self.uid_of_call.get(&id))
            .map(|&bits| uid_text(bits));
        self.media.columns.push(stream, uid.as_deref());
        self.media.row_added()
    }

    /// Ends the three files: the rows written in each.
    pub fn close(self) -> Result<Rows, TableError> {
        Ok(Rows {
            calls: self.calls.close()?,
            messages: self.messages.close()?,
            media: self.media.close()?,
        })
    }
}

/// Writes the tables of the calls `keep` keeps among `calls` (read with their message records,
/// see [`crate::correlate::Options::message_records`]), each with its diagnosis codes, then
/// their media streams from `streams` (every stream, unannounced ones too, when no call was
/// left out). `dir` is created with the first call kept: none when no call is.
pub fn write_streamed(
    dir: &Path,
    captures: &[PathBuf],
    mut calls: Calls,
    mut streams: Streams,
    keep: impl Fn(&CallSummary) -> bool,
) -> Result<Option<Rows>, TableError> {
    let total = calls.len();
    let mut tables: Option<Tables> = None;
    // A flag per call number written (a byte each: a flood writes millions).
    let (mut listed, mut written) = (Vec::new(), 0);
    while let Some(call) = calls.next_with_records() {
        let (mut call, records) = call?;
        let of_call = streams.of_call(call.id)?;
        let refs: Vec<&MediaStream> = of_call.iter().collect();
        // The codes do not depend on the language; the sentences are left to `calls`.
        call.diagnosis = Some(diagnosis::describe(&call, &refs, true, Lang::En));
        if !keep(&call) {
            continue;
        }
        let tables = match &mut tables {
            Some(tables) => tables,
            None => {
                std::fs::create_dir_all(dir).map_err(|source| TableError::Create {
                    path: dir.to_path_buf(),
                    source,
                })?;
                tables.insert(Tables::create(dir, captures)?)
            }
        };
        tables.push_call(&call, &records, !of_call.is_empty())?;
        if listed.len() <= call.id {
            listed.resize(call.id + 1, false);
        }
        if let Some(flag) = listed.get_mut(call.id) {
            *flag = true;
        }
        written += 1;
    }
    let Some(mut tables) = tables else {
        return Ok(None);
    };
    let every = written == total;
    for i in 0..streams.len() {
        let wanted = every
            || streams
                .call_at(i)
                .is_some_and(|id| listed.get(id) == Some(&true));
        if wanted {
            tables.push_stream(&streams.get(i)?)?;
        }
    }
    tables.close().map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The uid depends on the set of Call-IDs, not on their order, and on the start; it is
    /// stable across runs and builds (a fixed value, checked against `sha256sum`).
    #[test]
    fn call_uid_is_stable() {
        let start = Timestamp(1_406_481_649_010_000_123);
        let a = call_uid(&["b@host".into(), "a@host".into()], start);
        assert_eq!(a, call_uid(&["a@host".into(), "b@host".into()], start));
        // printf 'a@host\nb@host\n1406481649010000' | sha256sum
        assert_eq!(a, "208501a1269992aa");
        assert_ne!(a, call_uid(&["a@host".into()], start));
        assert_ne!(
            a,
            call_uid(&["a@host".into(), "b@host".into()], Timestamp(0))
        );
    }
}
