//! Long JSON listings (`calls --json` of a large capture writes tens of megabytes) written by
//! two threads, byte for byte as `serde_json::to_writer_pretty` writes them: the arrays are cut
//! into chunks, a second thread prints every other chunk ahead of time, and the chunks are
//! written in order. At most a few chunks wait in memory, however long the listing. An array
//! too long to hold (the calls of a long capture, read back from a spill) is written element
//! by element as they come ([`ObjectWriter::streamed`]).

use std::io::{self, Write};
use std::ops::Range;
use std::sync::mpsc;

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter, Serializer};

/// Elements per chunk: large enough that handing a chunk over costs nothing next to printing
/// it, small enough that the chunks waiting stay under a megabyte or two.
const CHUNK: usize = 1024;
/// Chunks printed ahead by the second thread.
const AHEAD: usize = 2;

/// The elements of an array field, as the printer needs them.
pub trait Elements: Sync {
    /// How many elements.
    fn count(&self) -> usize;
    /// Prints elements `range` of an array nested two levels deep (an array field of the
    /// top-level object), each preceded by its separator and indentation.
    fn print(&self, range: Range<usize>, out: &mut Vec<u8>) -> serde_json::Result<()>;
}

impl<T: Serialize + Sync> Elements for Vec<T> {
    fn count(&self) -> usize {
        self.len()
    }

    fn print(&self, range: Range<usize>, out: &mut Vec<u8>) -> serde_json::Result<()> {
        let first = range.start;
        for (i, item) in self.get(range).unwrap_or_default().iter().enumerate() {
            print_element(item, first + i == 0, out)?;
        }
        Ok(())
    }
}

/// Prints one element of an array nested two levels deep, preceded by its separator and
/// indentation.
fn print_element<T: Serialize>(item: &T, first: bool, out: &mut Vec<u8>) -> serde_json::Result<()> {
    out.extend_from_slice(if first { b"\n" } else { b",\n" });
    out.extend_from_slice(b"    ");
    let mut formatter = PrettyFormatter::with_indent(b"  ");
    // Two levels in, as the object and the array around this element left it.
    for _ in 0..2 {
        formatter
            .begin_array(&mut io::sink())
            .map_err(serde_json::Error::io)?;
    }
    item.serialize(&mut Serializer::with_formatter(&mut *out, formatter))
}

/// Writes a JSON object whose fields are arrays, pretty-printed as serde_json would, without
/// a final line break.
pub fn write_object(out: &mut dyn Write, fields: &[(&str, &dyn Elements)]) -> io::Result<()> {
    write_object_in_chunks(out, fields, CHUNK)
}

/// A JSON object of array fields written one field after the other, byte for byte as
/// [`write_object`] writes it: for a listing whose first array is streamed (read back from a
/// spill, too long to hold) and whose next ones depend on what it listed.
pub struct ObjectWriter<'a> {
    out: &'a mut dyn Write,
    fields: usize,
}

impl<'a> ObjectWriter<'a> {
    /// Opens the object.
    pub fn new(out: &'a mut dyn Write) -> io::Result<ObjectWriter<'a>> {
        out.write_all(b"{")?;
        Ok(ObjectWriter { out, fields: 0 })
    }

    fn name(&mut self, name: &str) -> io::Result<()> {
        self.out
            .write_all(if self.fields == 0 { b"\n  " } else { b",\n  " })?;
        self.fields += 1;
        serde_json::to_writer(&mut *self.out, name)?;
        Ok(())
    }

    /// Writes a field whose elements are held (printed on two threads, see [`write_object`]).
    pub fn held(&mut self, name: &str, elements: &dyn Elements) -> io::Result<()> {
        self.name(name)?;
        write_array_in_chunks(self.out, elements, CHUNK)
    }

    /// Writes a field whose elements come one by one, stopping at the first error.
    pub fn streamed<T: Serialize>(
        &mut self,
        name: &str,
        elements: impl Iterator<Item = io::Result<T>>,
    ) -> io::Result<()> {
        self.name(name)?;
        let mut buf = Vec::new();
        let mut first = true;
        for element in elements {
            if first {
                self.out.write_all(b": [")?;
            }
            buf.clear();
            print_element(&element?, first, &mut buf)?;
            self.out.write_all(&buf)?;
            first = false;
        }
        self.out.write_all(if first { b": []" } else { b"\n  ]" })
    }

    /// Closes the object.
    pub fn end(self) -> io::Result<()> {
        self.out
            .write_all(if self.fields == 0 { b"}" } else { b"\n}" })
    }
}

fn write_object_in_chunks(
    out: &mut dyn Write,
    fields: &[(&str, &dyn Elements)],
    chunk: usize,
) -> io::Result<()> {
    let mut object = ObjectWriter::new(out)?;
    for (name, elements) in fields {
        object.name(name)?;
        write_array_in_chunks(object.out, *elements, chunk)?;
    }
    object.end()
}

/// Writes an array (after its field's name) in chunks: a second thread prints every other
/// chunk ahead of time, and the chunks are written in order.
fn write_array_in_chunks(
    out: &mut dyn Write,
    elements: &dyn Elements,
    chunk: usize,
) -> io::Result<()> {
    let count = elements.count();
    if count == 0 {
        return out.write_all(b": []");
    }
    let chunks: Vec<Range<usize>> = (0..count)
        .step_by(chunk.max(1))
        .map(|start| start..count.min(start + chunk.max(1)))
        .collect();
    std::thread::scope(|scope| {
        // The second thread prints the odd chunks, this one the even ones.
        let (ahead, printed) = mpsc::sync_channel::<serde_json::Result<Vec<u8>>>(AHEAD);
        if chunks.len() > 1 {
            let odd: Vec<Range<usize>> = chunks.iter().skip(1).step_by(2).cloned().collect();
            scope.spawn(move || {
                for c in odd {
                    let mut buf = Vec::new();
                    let done = elements.print(c, &mut buf).map(|()| buf);
                    if ahead.send(done).is_err() {
                        return; // the writer gave up (a closed pipe)
                    }
                }
            });
        }
        let mut buf = Vec::new();
        out.write_all(b": [")?;
        for (n, c) in chunks.iter().enumerate() {
            if n % 2 == 1 {
                let chunk = printed
                    .recv()
                    .map_err(|_| io::Error::other("the JSON printing thread stopped"))??;
                out.write_all(&chunk)?;
            } else {
                buf.clear();
                elements.print(c.clone(), &mut buf)?;
                out.write_all(&buf)?;
            }
        }
        out.write_all(b"\n  ]")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Item {
        id: usize,
        name: String,
        tags: Vec<String>,
        empty: Vec<u8>,
        nested: Option<Box<Item>>,
    }

    fn item(id: usize) -> Item {
        Item {
            id,
            name: format!("call \"{id}\"\n\u{e9}"),
            tags: (0..id % 3).map(|t| format!("t{t}")).collect(),
            empty: Vec::new(),
            nested: (id % 2 == 0).then(|| {
                Box::new(Item {
                    id: id + 1,
                    name: String::new(),
                    tags: vec!["x".into()],
                    empty: Vec::new(),
                    nested: None,
                })
            }),
        }
    }

    #[derive(Serialize)]
    struct Listing {
        calls: Vec<Item>,
        media: Vec<Item>,
    }

    /// Every shape of chunking prints what serde_json prints.
    #[test]
    fn same_bytes_as_serde_json() {
        for (calls, media) in [(0, 0), (1, 0), (0, 1), (3, 4), (4, 4), (5, 9), (17, 2)] {
            for chunk in [1, 2, 4, 100] {
                let listing = Listing {
                    calls: (0..calls).map(item).collect(),
                    media: (0..media).map(item).collect(),
                };
                let expected = serde_json::to_string_pretty(&listing).unwrap();
                let mut out = Vec::new();
                write_object_in_chunks(
                    &mut out,
                    &[
                        ("calls", &listing.calls as &dyn Elements),
                        ("media", &listing.media),
                    ],
                    chunk,
                )
                .unwrap();
                assert_eq!(
                    String::from_utf8(out).unwrap(),
                    expected,
                    "{calls} calls, {media} streams, chunks of {chunk}"
                );
            }
        }
    }

    /// A field streamed element by element prints what serde_json prints.
    #[test]
    fn streamed_field_same_bytes_as_serde_json() {
        for (calls, media) in [(0, 0), (1, 0), (0, 3), (5, 9)] {
            let listing = Listing {
                calls: (0..calls).map(item).collect(),
                media: (0..media).map(item).collect(),
            };
            let mut out = Vec::new();
            let mut object = ObjectWriter::new(&mut out).unwrap();
            object
                .streamed("calls", listing.calls.iter().map(Ok))
                .unwrap();
            object.held("media", &listing.media).unwrap();
            object.end().unwrap();
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&listing).unwrap(),
                "{calls} calls, {media} streams"
            );
        }
    }

    #[test]
    fn no_fields() {
        let mut out = Vec::new();
        write_object(&mut out, &[]).unwrap();
        assert_eq!(
            out,
            serde_json::to_vec_pretty(&serde_json::json!({})).unwrap()
        );
    }

    /// A writer that fails (a closed pipe) stops both threads.
    #[test]
    fn a_failing_writer_stops_the_printing() {
        struct Closed;
        impl Write for Closed {
            fn write(&mut self, _: &[u8]) -> io::Result<usize> {
                Err(io::ErrorKind::BrokenPipe.into())
            }
            fn flush(&mut self) -> io::Result<()> {
                Ok(())
            }
        }
        let items: Vec<Item> = (0..50).map(item).collect();
        let err = write_object_in_chunks(&mut Closed, &[("calls", &items)], 2).unwrap_err();
        assert_eq!(err.kind(), io::ErrorKind::BrokenPipe);
    }
}
