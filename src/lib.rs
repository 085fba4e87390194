/*!
sipladder reads a packet capture offline, finds every SIP message in it, and turns the
exchange into something a person can read: counts, calls, explanations and ladder diagrams.

The crate follows the data flow of the design, one direction, no back edges:

```text
capture    bytes -> SIP payloads (link, encapsulations, IP defragmentation, UDP, TCP, SCTP)
sip        payload -> SIP message: start line, typed headers, SDP (nom)
correlate  messages -> transactions, legs, calls, registrations, media streams
explain    message -> what each header means, in French or English
render     calls -> tables, ladders (ASCII, Unicode, SVG, Mermaid, PlantUML, JSON), HTML report
view       calls -> what the report and the terminal browser show: rows, pages, messages
reading    the inputs read once, or twice for the frames of chosen calls
export     chosen calls' frames (and RTP) cut into a new capture
tui        the terminal browser of a capture (ratatui)
cli        argument parsing, routing and output; the only place that prints or exits (the
           browser draws its own screen)
```
*/
#![forbid(unsafe_code)]
#![deny(rustdoc::broken_intra_doc_links)]

pub mod capture;
pub mod cli;
pub mod correlate;
pub mod explain;
pub mod export;
pub mod reading;
pub mod redact;
pub mod render;
pub mod sip;
pub mod stats;
pub mod tui;
pub mod view;
