//! One Parquet file written batch by batch: rows gather in Arrow builders and go out as a
//! record batch every [`BATCH_ROWS`] rows, so a table of millions of messages never sits in
//! memory whole; the file is cut into row groups of [`ROW_GROUP_ROWS`] (fewer when they would
//! hold more than [`ROW_GROUP_BYTES`]), compressed with zstd.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::builder::{ListBuilder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::file::properties::WriterProperties;
use parquet::schema::types::ColumnPath;

use super::TableError;
use crate::capture::Timestamp;

/// Rows gathered before they are handed to the Parquet writer as one batch.
pub const BATCH_ROWS: usize = 8192;
/// Rows per row group: large enough for engines to skip whole groups by their statistics,
/// small enough that a reader holds one at a time cheaply.
pub const ROW_GROUP_ROWS: usize = 100_000;
/// Bytes of a data page before compression.
const PAGE_BYTES: usize = 64 << 10;
/// Bytes the writer may hold for a row group before it is written out with fewer rows: a
/// row group's encoded pages are held until it is whole, and the tables are written side by
/// side (on the benchmark, groups of 100,000 messages stay under it; rows of long texts do
/// not).
pub const ROW_GROUP_BYTES: usize = 8 << 20;

/// The columns of one table, filled row by row.
pub(super) trait Columns {
    /// The table's schema (the same for every batch).
    fn schema() -> SchemaRef;
    /// Rows gathered since the last batch.
    fn rows(&self) -> usize;
    /// The gathered rows as arrays, in the schema's order; the builders start again empty.
    fn finish(&mut self) -> Vec<ArrayRef>;
}

/// A Parquet file being written, with the rows not yet handed over.
pub(super) struct Table<C: Columns> {
    writer: ArrowWriter<File>,
    schema: SchemaRef,
    /// The rows being gathered.
    pub(super) columns: C,
    /// Rows written so far.
    written: u64,
}

impl<C: Columns> Table<C> {
    /// Creates `path` for a table gathered in `columns`.
    pub(super) fn create(path: &Path, columns: C) -> Result<Self, TableError> {
        let file = File::create(path).map_err(|source| TableError::Create {
            path: path.to_path_buf(),
            source,
        })?;
        let schema = C::schema();
        let mut properties = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            // Each column keeps a zstd context sized for its largest page: with the default
            // 1 MiB pages the 97 columns of the three tables held 45 MiB of contexts, with
            // 64 KiB pages a third of that, for files a tenth larger.
            .set_data_page_size_limit(PAGE_BYTES)
            // Plain pages compress better here than dictionaries: most texts (Call-IDs, tags,
            // branches) repeat only within a call, and a dictionary per column is held whole
            // until its row group is written (on the benchmark, tables a third smaller).
            .set_dictionary_enabled(false)
            .set_max_row_group_row_count(Some(ROW_GROUP_ROWS))
            .set_created_by(concat!("sipladder ", env!("CARGO_PKG_VERSION")).to_owned());
        // Integers, times and flags go without a zstd context of their own (each column keeps one, and
        // the contexts of the number columns were three quarters of the writer's 34 MB):
        // numbers are delta-packed instead (indexes, frames and times grow row by row), flags
        // bit-packed. On the benchmark the messages table grows by a quarter, the others shrink.
        for field in schema.fields() {
            let column = ColumnPath::from(field.name().as_str());
            match field.data_type() {
                DataType::Int32 | DataType::Int64 | DataType::Timestamp(_, _) => {
                    properties = properties
                        .set_column_compression(column.clone(), Compression::UNCOMPRESSED)
                        .set_column_encoding(column, Encoding::DELTA_BINARY_PACKED);
                }
                DataType::Boolean => {
                    properties =
                        properties.set_column_compression(column, Compression::UNCOMPRESSED);
                }
                _ => {}
            }
        }
        let properties = properties.build();
        let writer = ArrowWriter::try_new(file, schema.clone(), Some(properties))?;
        Ok(Table {
            writer,
            schema,
            columns,
            written: 0,
        })
    }

    /// Hands the gathered rows over once there are enough of them (call after each row).
    pub(super) fn row_added(&mut self) -> Result<(), TableError> {
        if self.columns.rows() >= BATCH_ROWS {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), TableError> {
        let rows = self.columns.rows();
        if rows == 0 {
            return Ok(());
        }
        let batch = RecordBatch::try_new(self.schema.clone(), self.columns.finish())?;
        self.writer.write(&batch)?;
        if self.writer.memory_size() >= ROW_GROUP_BYTES {
            self.writer.flush()?;
        }
        self.written += rows as u64;
        Ok(())
    }

    /// Writes what is left and the file's footer: the rows written.
    pub(super) fn close(mut self) -> Result<u64, TableError> {
        self.flush()?;
        self.writer.close()?;
        Ok(self.written)
    }
}

/// A schema from its fields.
pub(super) fn schema(fields: Vec<Field>) -> SchemaRef {
    Arc::new(Schema::new(fields))
}

/// A text column.
pub(super) fn text(name: &str, nullable: bool) -> Field {
    Field::new(name, DataType::Utf8, nullable)
}

/// A list-of-texts column (never null: an empty list instead).
pub(super) fn texts(name: &str) -> Field {
    Field::new_list(name, Field::new_list_field(DataType::Utf8, true), false)
}

/// A point in time, in microseconds since the epoch, UTC.
pub(super) fn time(name: &str, nullable: bool) -> Field {
    Field::new(
        name,
        DataType::Timestamp(TimeUnit::Microsecond, Some("UTC".into())),
        nullable,
    )
}

/// A column of another type.
pub(super) fn of(name: &str, data_type: DataType, nullable: bool) -> Field {
    Field::new(name, data_type, nullable)
}

/// A new list-of-texts builder, matching [`texts`].
pub(super) fn texts_builder() -> ListBuilder<StringBuilder> {
    ListBuilder::new(StringBuilder::new())
}

/// Appends one list of texts.
pub(super) fn push_texts<S: AsRef<str>>(
    builder: &mut ListBuilder<StringBuilder>,
    items: impl IntoIterator<Item = S>,
) {
    for item in items {
        builder.values().append_value(item);
    }
    builder.append(true);
}

/// Microseconds since the epoch (Parquet's `TIMESTAMP(MICROS)`; the nanoseconds a capture may
/// hold are cut).
pub(super) fn micros(ts: Timestamp) -> i64 {
    ts.0.div_euclid(1000)
}

/// A count as Parquet's signed 64-bit integer (unsigned columns trouble Spark); saturates.
pub(super) fn int(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::builder::{ArrayBuilder, Int64Builder};
    use parquet::file::reader::{FileReader, SerializedFileReader};

    struct Numbers(Int64Builder);

    impl Columns for Numbers {
        fn schema() -> SchemaRef {
            schema(vec![of("n", DataType::Int64, false)])
        }
        fn rows(&self) -> usize {
            self.0.len()
        }
        fn finish(&mut self) -> Vec<ArrayRef> {
            vec![Arc::new(self.0.finish())]
        }
    }

    /// Rows go out in batches and land in row groups of [`ROW_GROUP_ROWS`], every one kept.
    #[test]
    fn rows_are_written_in_batches_and_row_groups() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("numbers.parquet");
        let mut table = Table::create(&path, Numbers(Int64Builder::new())).unwrap();
        let total = 2 * ROW_GROUP_ROWS + 5;
        for n in 0..total {
            table.columns.0.append_value(n as i64);
            table.row_added().unwrap();
            assert!(table.columns.rows() < BATCH_ROWS);
        }
        assert_eq!(table.close().unwrap(), total as u64);
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let groups: Vec<i64> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect();
        let full = ROW_GROUP_ROWS as i64;
        assert_eq!(groups, [full, full, 5]);
    }

    struct Texts(StringBuilder);

    impl Columns for Texts {
        fn schema() -> SchemaRef {
            schema(vec![text("t", false)])
        }
        fn rows(&self) -> usize {
            self.0.len()
        }
        fn finish(&mut self) -> Vec<ArrayRef> {
            vec![Arc::new(self.0.finish())]
        }
    }

    /// Wide rows close their row group once the writer holds [`ROW_GROUP_BYTES`], well before
    /// [`ROW_GROUP_ROWS`], and every row is kept.
    #[test]
    fn wide_rows_close_row_groups_by_size() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("texts.parquet");
        let mut table = Table::create(&path, Texts(StringBuilder::new())).unwrap();
        // 1 KiB of text a row that does not compress: 40,000 rows are about 40 MiB.
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let total = 40_000;
        for _ in 0..total {
            let row: String = (0..1024)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    char::from(b'a' + (state % 26) as u8)
                })
                .collect();
            table.columns.0.append_value(row);
            table.row_added().unwrap();
        }
        assert_eq!(table.close().unwrap(), total as u64);
        let reader = SerializedFileReader::new(File::open(&path).unwrap()).unwrap();
        let groups: Vec<i64> = reader
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.num_rows())
            .collect();
        assert!(groups.len() >= 3, "{groups:?}");
        assert_eq!(groups.iter().sum::<i64>(), total as i64);
        assert!(
            groups.iter().all(|&n| n <= BATCH_ROWS as i64 * 2),
            "{groups:?}"
        );
    }
}
