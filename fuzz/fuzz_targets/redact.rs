//! Fuzzes redaction: any bytes as a SIP message (redacted, then framed again as the
//! redacting sink does) and as an RTCP compound packet, and a whole capture read through the
//! redacting sink into the correlator.
#![no_main]

use std::io::Cursor;

use libfuzzer_sys::fuzz_target;
use sipladder::capture::{CaptureReader, MergedReader, read_all};
use sipladder::correlate::{Correlator, Options};
use sipladder::redact::{RedactingSink, Redactor};
use sipladder::sip::framing;

fuzz_target!(|data: &[u8]| {
    let mut redactor = Redactor::new(Some("fuzz"));
    let message = redactor.message(data);
    let _ = framing::frame_datagram(&message);
    let rtcp = redactor.rtcp(data);
    assert_eq!(rtcp.len(), data.len(), "RTCP keeps its length");
    let Ok(reader) = CaptureReader::from_read("fuzz".into(), Box::new(Cursor::new(data.to_vec())))
    else {
        return;
    };
    let mut merged = MergedReader::new(vec![reader]);
    let mut correlator = Correlator::new(Options {
        keep_messages: true,
        keep_raw: true,
        ..Options::default()
    });
    let mut sink = RedactingSink::new(&mut correlator, &mut redactor);
    read_all(&mut merged, &mut sink);
    let _ = serde_json::to_string(&correlator.finish().calls);
});
