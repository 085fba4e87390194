/*!
sipladder reads a packet capture offline, finds every SIP message in it, and turns the
exchange into something a person can read: counts, calls, explanations and ladder diagrams.

The crate follows the data flow of the design, one direction, no back edges:

```text
capture  bytes -> Packet (link, IP, transport, payload), with IP defragmentation and TCP reassembly
sip      payload -> SIP message framing and parsing
cli      argument parsing and output; the only place that prints or exits
```
*/
#![forbid(unsafe_code)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod capture;
pub mod cli;
pub mod explain;
pub mod render;
pub mod sip;
pub mod stats;
