//! Long JSON listings (`calls --json` of a large capture writes tens of megabytes) written by
//! two threads, byte for byte as `serde_json::to_writer_pretty` writes them: the arrays are cut
//! into chunks, a second thread prints every other chunk ahead of time, and the chunks are
//! written in order. At most a few chunks wait in memory, however long the listing.

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
            out.extend_from_slice(if first + i == 0 { b"\n" } else { b",\n" });
            out.extend_from_slice(b"    ");
            let mut formatter = PrettyFormatter::with_indent(b"  ");
            // Two levels in, as the object and the array around this element left it.
            for _ in 0..2 {
                formatter
                    .begin_array(&mut io::sink())
                    .map_err(serde_json::Error::io)?;
            }
            item.serialize(&mut Serializer::with_formatter(&mut *out, formatter))?;
        }
        Ok(())
    }
}

/// One chunk: a range of the elements of a field.
#[derive(Clone)]
struct Chunk {
    field: usize,
    range: Range<usize>,
}

/// Writes a JSON object whose fields are arrays, pretty-printed as serde_json would, without
/// a final line break.
pub fn write_object(out: &mut dyn Write, fields: &[(&str, &dyn Elements)]) -> io::Result<()> {
    write_object_in_chunks(out, fields, CHUNK)
}

fn write_object_in_chunks(
    out: &mut dyn Write,
    fields: &[(&str, &dyn Elements)],
    chunk: usize,
) -> io::Result<()> {
    let chunks: Vec<Chunk> = fields
        .iter()
        .enumerate()
        .flat_map(|(field, (_, elements))| {
            let count = elements.count();
            (0..count).step_by(chunk.max(1)).map(move |start| Chunk {
                field,
                range: start..count.min(start + chunk.max(1)),
            })
        })
        .collect();
    let print = |c: &Chunk, buf: &mut Vec<u8>| match fields.get(c.field) {
        Some((_, elements)) => elements.print(c.range.clone(), buf),
        None => Ok(()),
    };
    std::thread::scope(|scope| {
        // The second thread prints the odd chunks, this one the even ones.
        let (ahead, printed) = mpsc::sync_channel::<serde_json::Result<Vec<u8>>>(AHEAD);
        if chunks.len() > 1 {
            let odd: Vec<&Chunk> = chunks.iter().skip(1).step_by(2).collect();
            scope.spawn(move || {
                for c in odd {
                    let mut buf = Vec::new();
                    let done = print(c, &mut buf).map(|()| buf);
                    if ahead.send(done).is_err() {
                        return; // the writer gave up (a closed pipe)
                    }
                }
            });
        }
        let mut buf = Vec::new();
        let mut next = chunks.iter().enumerate().peekable();
        out.write_all(b"{")?;
        for (field, (name, elements)) in fields.iter().enumerate() {
            out.write_all(if field == 0 { b"\n  " } else { b",\n  " })?;
            serde_json::to_writer(&mut *out, name)?;
            if elements.count() == 0 {
                out.write_all(b": []")?;
                continue;
            }
            out.write_all(b": [")?;
            while let Some((n, _)) = next.next_if(|(_, c)| c.field == field) {
                if n % 2 == 1 {
                    let chunk = printed
                        .recv()
                        .map_err(|_| io::Error::other("the JSON printing thread stopped"))??;
                    out.write_all(&chunk)?;
                } else if let Some(c) = chunks.get(n) {
                    buf.clear();
                    print(c, &mut buf)?;
                    out.write_all(&buf)?;
                }
            }
            out.write_all(b"\n  ]")?;
        }
        out.write_all(if fields.is_empty() { b"}" } else { b"\n}" })
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
