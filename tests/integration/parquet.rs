//! `export --parquet`: the tables read back with the parquet crate and compared, field by
//! field, with `calls --json` and `export --jsonl` of the same capture; a capture split in two
//! files gives the same calls table; DuckDB reads the tables and joins them (when python3 and
//! its duckdb package are installed).

use std::path::{Path, PathBuf};

use arrow_array::cast::AsArray;
use arrow_array::types::{Float64Type, Int32Type, Int64Type, TimestampMicrosecondType};
use arrow_array::{Array, ArrayRef};
use arrow_schema::DataType;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding, Type as PhysicalType};
use serde_json::{Map, Value};
use sipladder::capture::Timestamp;

use crate::common::{json_of, sample, sipladder, stdout_of};

/// Samples with registrations, calls, media, a diagnosis and joined legs between them.
const SAMPLES: [&str; 3] = [
    "lab-register-invite.pcap",
    "diag-lossy-rtp.pcap",
    "lab-b2bua.pcap",
];

/// Runs `export --parquet` on `captures` into a fresh folder.
fn export(captures: &[PathBuf], dir: &Path) {
    stdout_of(
        sipladder()
            .arg("export")
            .args(captures)
            .arg("--parquet")
            .arg(dir),
    );
}

/// One cell as JSON: lists as arrays, times as microseconds since the epoch.
fn cell(column: &ArrayRef, row: usize) -> Value {
    if column.is_null(row) {
        return Value::Null;
    }
    match column.data_type() {
        DataType::Int64 => column.as_primitive::<Int64Type>().value(row).into(),
        DataType::Int32 => column.as_primitive::<Int32Type>().value(row).into(),
        DataType::Float64 => column.as_primitive::<Float64Type>().value(row).into(),
        DataType::Boolean => column.as_boolean().value(row).into(),
        DataType::Utf8 => column.as_string::<i32>().value(row).into(),
        DataType::Timestamp(_, _) => column
            .as_primitive::<TimestampMicrosecondType>()
            .value(row)
            .into(),
        DataType::List(_) => {
            let items = column.as_list::<i32>().value(row);
            (0..items.len()).map(|i| cell(&items, i)).collect()
        }
        other => panic!("unexpected column type {other}"),
    }
}

/// A Parquet file's rows as JSON objects, read batch by batch.
pub fn rows(path: &Path) -> Vec<Map<String, Value>> {
    let file = std::fs::File::open(path).unwrap();
    let builder = ParquetRecordBatchReaderBuilder::try_new(file).unwrap();
    // Text, lists and ratios are zstd-compressed; integers and times are delta-packed and
    // flags bit-packed, without a zstd context each (the writer's memory).
    for group in builder.metadata().row_groups() {
        for column in group.columns() {
            let name = column.column_path().string();
            match column.column_type() {
                PhysicalType::BOOLEAN => {
                    assert_eq!(column.compression(), Compression::UNCOMPRESSED, "{name}")
                }
                PhysicalType::INT32 | PhysicalType::INT64 => {
                    assert_eq!(column.compression(), Compression::UNCOMPRESSED, "{name}");
                    let mut encodings = column.encodings();
                    let delta = encodings.any(|e| e == Encoding::DELTA_BINARY_PACKED);
                    assert!(delta, "{path:?}: {name} is not delta-packed");
                }
                _ => assert!(
                    matches!(column.compression(), Compression::ZSTD(_)),
                    "{path:?}: {name} is not zstd"
                ),
            }
        }
    }
    let reader = builder.build().unwrap();
    let mut rows = Vec::new();
    for batch in reader {
        let batch = batch.unwrap();
        let schema = batch.schema();
        for row in 0..batch.num_rows() {
            rows.push(
                schema
                    .fields()
                    .iter()
                    .zip(batch.columns())
                    .map(|(f, c)| (f.name().clone(), cell(c, row)))
                    .collect(),
            );
        }
    }
    rows
}

/// An RFC 3339 time of the JSON output in microseconds, as the tables hold it.
fn micros(text: &Value) -> Value {
    let ts = Timestamp::parse_rfc3339(text.as_str().unwrap()).unwrap();
    ts.0.div_euclid(1000).into()
}

/// Compares a table row with the JSON object of the same thing: every field of the JSON
/// that has a column must hold the same value (times converted, diagnoses by their codes),
/// and a column whose field the JSON leaves out must be null, empty or zero (but for the
/// columns only the tables have).
fn compare(what: &str, row: &Map<String, Value>, json: &Map<String, Value>) {
    const TABLES_ONLY: [&str; 5] = ["call_uid", "captures", "end_time", "media", "outer"];
    for (name, value) in row {
        if TABLES_ONLY.contains(&name.as_str()) {
            continue;
        }
        let expected = match (name.as_str(), json.get(name)) {
            ("start" | "ts", Some(t)) => micros(t),
            ("diagnosis", Some(Value::Array(d))) => d.iter().map(|d| d["code"].clone()).collect(),
            (_, Some(v)) => v.clone(),
            (_, None) => {
                assert!(
                    matches!(value, Value::Null) || *value == Value::Array(vec![]) || *value == 0,
                    "{what}: column {name} = {value}, absent from the JSON"
                );
                continue;
            }
        };
        assert_eq!(*value, expected, "{what}: column {name}");
    }
}

/// The JSON fields of an `export --jsonl` line under the table's column names: From, To and
/// the start line flattened, the SDP media by count only.
fn flatten_line(line: &Value) -> Map<String, Value> {
    let mut out = Map::new();
    for (k, v) in line.as_object().unwrap() {
        match (k.as_str(), v) {
            ("from" | "to", Value::Object(party)) => {
                for (field, value) in party {
                    out.insert(format!("{k}_{field}"), value.clone());
                }
            }
            ("start", Value::Object(start)) => {
                out.extend(start.iter().map(|(f, v)| (f.clone(), v.clone())));
            }
            ("digest", Value::Object(d)) => {
                out.insert("realm".into(), d["realm"].clone());
            }
            ("media" | "outer", _) => {}
            _ => {
                out.insert(k.clone(), v.clone());
            }
        }
    }
    out
}

#[test]
fn tables_hold_what_calls_json_and_jsonl_say() {
    for name in SAMPLES {
        let captures = [sample(name)];
        let dir = tempfile::tempdir().unwrap();
        export(&captures, dir.path());
        let listing = json_of(sipladder().arg("calls").arg("--json").args(&captures));

        let calls = rows(&dir.path().join("calls.parquet"));
        let json_calls = listing["calls"].as_array().unwrap();
        assert_eq!(calls.len(), json_calls.len(), "{name}: calls");
        for (row, json) in calls.iter().zip(json_calls) {
            let what = format!("{name} call {}", json["id"]);
            compare(&what, row, json.as_object().unwrap());
            assert_eq!(
                row["captures"],
                serde_json::json!([format!("samples/{name}")])
            );
            assert_eq!(row["call_uid"].as_str().unwrap().len(), 16, "{what}");
        }

        let media = rows(&dir.path().join("media.parquet"));
        let json_media = listing["media"].as_array().unwrap();
        assert_eq!(media.len(), json_media.len(), "{name}: media");
        assert!(!media.is_empty(), "{name}: media");
        for (i, (row, json)) in media.iter().zip(json_media).enumerate() {
            compare(
                &format!("{name} stream {i}"),
                row,
                json.as_object().unwrap(),
            );
            let call = calls.iter().find(|c| c["id"] == row["call"]);
            assert_eq!(
                row["call_uid"],
                call.map_or(Value::Null, |c| c["call_uid"].clone())
            );
        }

        // Messages: the lines of `export --jsonl`, in the same order.
        let jsonl = stdout_of(sipladder().arg("export").arg("--jsonl").args(&captures));
        let lines: Vec<Value> = String::from_utf8(jsonl)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let messages = rows(&dir.path().join("messages.parquet"));
        assert_eq!(messages.len(), lines.len(), "{name}: messages");
        for (row, line) in messages.iter().zip(&lines) {
            let what = format!("{name} message {}", line["index"]);
            compare(&what, row, &flatten_line(line));
            let offers = line
                .get("media")
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            assert_eq!(row["media"].as_array().unwrap().len(), offers, "{what}");
            let call = calls.iter().find(|c| c["id"] == row["call"]).unwrap();
            assert_eq!(row["call_uid"], call["call_uid"], "{what}");
        }
        for (call, json) in calls.iter().zip(json_calls) {
            let count = messages.iter().filter(|m| m["call"] == call["id"]).count();
            assert_eq!(
                json["messages"], count,
                "{name}: messages of call {}",
                json["id"]
            );
        }
    }
}

/// Writes the frames of a classic pcap into two files, the first `half` records in one and
/// the rest in the other (as a capture rotated by size would be).
fn split_pcap(path: &Path, half: usize, out: &Path) -> [PathBuf; 2] {
    let bytes = std::fs::read(path).unwrap();
    let (header, mut rest) = bytes.split_at(24);
    let mut records = Vec::new();
    while rest.len() >= 16 {
        let len = u32::from_le_bytes(rest[8..12].try_into().unwrap()) as usize;
        let (record, tail) = rest.split_at(16 + len);
        records.push(record);
        rest = tail;
    }
    assert!(records.len() > half);
    let files = [out.join("part-1.pcap"), out.join("part-2.pcap")];
    for (file, part) in files.iter().zip([&records[..half], &records[half..]]) {
        let mut data = header.to_vec();
        part.iter().for_each(|r| data.extend_from_slice(r));
        std::fs::write(file, data).unwrap();
    }
    files
}

/// Rotated captures are one time-ordered stream: a capture cut in the middle of its calls
/// gives the calls table of the whole capture (only the file names differ).
#[test]
fn a_capture_split_in_two_files_gives_the_same_calls() {
    let whole = sample("lab-udp-concurrent.pcap");
    let dir = tempfile::tempdir().unwrap();
    let parts = split_pcap(&root_path(&whole), 40, dir.path());
    let (one, two) = (dir.path().join("whole"), dir.path().join("parts"));
    export(&[whole], &one);
    export(&parts, &two);
    let strip = |mut rows: Vec<Map<String, Value>>| {
        rows.iter_mut().for_each(|r| {
            r.remove("captures");
        });
        rows
    };
    let (a, b) = (
        strip(rows(&one.join("calls.parquet"))),
        strip(rows(&two.join("calls.parquet"))),
    );
    assert!(a.len() > 1);
    assert_eq!(a, b);
    assert_eq!(
        rows(&one.join("messages.parquet")).len(),
        rows(&two.join("messages.parquet")).len()
    );
}

fn root_path(relative: &Path) -> PathBuf {
    crate::common::root().join(relative)
}

/// The check DuckDB runs over the tables: row counts, column types, joins, and the call_uid
/// formula the README gives.
const DUCKDB_CHECK: &str = r#"
import duckdb, json, sys
d = sys.argv[1]
con = duckdb.connect()
q = lambda s: con.sql(s.replace("DIR", d)).fetchall()
types = {t: dict((r[0], r[1]) for r in q(f"describe select * from 'DIR/{t}.parquet'"))
         for t in ["calls", "messages", "media"]}
print(json.dumps({
  "calls": q("select count(*) from 'DIR/calls.parquet'")[0][0],
  "messages": q("select count(*) from 'DIR/messages.parquet'")[0][0],
  "media": q("select count(*) from 'DIR/media.parquet'")[0][0],
  "message_sum": q("select sum(messages) from 'DIR/calls.parquet'")[0][0],
  "orphan_messages": q("""select count(*) from 'DIR/messages.parquet' m
      anti join 'DIR/calls.parquet' c on m.call = c.id and m.call_uid = c.call_uid""")[0][0],
  "orphan_media": q("""select count(*) from 'DIR/media.parquet' m
      anti join 'DIR/calls.parquet' c on m.call = c.id where m.call is not null""")[0][0],
  "uid_mismatch": q("""select count(*) from 'DIR/calls.parquet' where call_uid <>
      left(sha256(array_to_string(list_sort(call_ids), chr(10)) || chr(10) || epoch_us(start)), 16)""")[0][0],
  "types": types,
}))
"#;

#[test]
fn duckdb_reads_and_joins_the_tables() {
    let ready = std::process::Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ready {
        println!("SKIPPED: python3 with the duckdb package is not installed (pip install duckdb)");
        return;
    }
    let captures = [sample("lab-register-invite.pcap"), sample("lab-busy.pcap")];
    let dir = tempfile::tempdir().unwrap();
    export(&captures, dir.path());
    let out = std::process::Command::new("python3")
        .args(["-c", DUCKDB_CHECK])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let got: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listing = json_of(sipladder().arg("calls").arg("--json").args(&captures));
    let calls = listing["calls"].as_array().unwrap();
    let message_sum: u64 = calls.iter().map(|c| c["messages"].as_u64().unwrap()).sum();
    assert_eq!(got["calls"], calls.len());
    assert_eq!(got["media"], listing["media"].as_array().unwrap().len());
    assert_eq!(got["messages"], message_sum);
    assert_eq!(got["message_sum"], message_sum);
    for key in ["orphan_messages", "orphan_media", "uid_mismatch"] {
        assert_eq!(got[key], 0, "{key}");
    }
    let t = &got["types"];
    for (table, column, ty) in [
        ("calls", "id", "BIGINT"),
        ("calls", "start", "TIMESTAMP WITH TIME ZONE"),
        ("calls", "final_status", "INTEGER"),
        ("calls", "participants", "VARCHAR[]"),
        ("calls", "call_uid", "VARCHAR"),
        ("messages", "ts", "TIMESTAMP WITH TIME ZONE"),
        ("messages", "code", "INTEGER"),
        ("messages", "src", "VARCHAR"),
        ("messages", "retransmission", "BOOLEAN"),
        ("media", "start", "TIMESTAMP WITH TIME ZONE"),
        ("media", "mos", "DOUBLE"),
        ("media", "packets", "BIGINT"),
    ] {
        assert_eq!(t[table][column], ty, "{table}.{column}");
    }
}
