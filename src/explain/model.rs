//! What an explanation is made of: owned, serialisable data that renderers lay out.
//!
//! The JSON of `explain --json` is derived from these types: each header carries an
//! `explanation` (its lines joined) beside the `lines` themselves, and the message carries an
//! `explanation` of its first line.

use serde::ser::{Serialize, SerializeStruct, Serializer};

use super::lang::Lang;

/// The explanation of one SIP message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The language the texts are written in (renderers take their labels from it).
    pub lang: Lang,
    /// One sentence saying what the message does.
    pub summary: String,
    /// The request or status line as written.
    pub first_line: String,
    /// What the first line means: the method or the status code, in this packet's context.
    pub first_line_explanation: Vec<String>,
    /// Every header, in message order; a header holding several values (`Via: a, b`) gives
    /// one entry per value.
    pub headers: Vec<HeaderExplanation>,
    /// What the message means beyond single headers: dialog, transaction, authentication.
    pub notes: Vec<String>,
    /// The body explained line by line, when there is one.
    pub body: Option<BodyExplanation>,
}

impl Explanation {
    /// The first-line explanation as one string (the `explanation` field of the JSON).
    pub fn explanation(&self) -> String {
        self.first_line_explanation.join(" ")
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Explanation", 8)?;
        st.serialize_field("lang", &self.lang)?;
        st.serialize_field("summary", &self.summary)?;
        st.serialize_field("first_line", &self.first_line)?;
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("first_line_explanation", &self.first_line_explanation)?;
        st.serialize_field("headers", &self.headers)?;
        st.serialize_field("notes", &self.notes)?;
        st.serialize_field("body", &self.body)?;
        st.end()
    }
}

/// The explanation of one header value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeaderExplanation {
    /// The canonical name for known headers (`Call-ID` for `i`), the name as written otherwise.
    pub name: String,
    /// The value as written (one value of a comma list).
    pub value: String,
    /// What the header says, one sentence per line.
    pub lines: Vec<String>,
    /// Its parameters, in order.
    pub params: Vec<ParamExplanation>,
}

impl HeaderExplanation {
    /// The lines as one string (the `explanation` field of the JSON).
    pub fn explanation(&self) -> String {
        self.lines.join(" ")
    }
}

impl Serialize for HeaderExplanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("HeaderExplanation", 5)?;
        st.serialize_field("name", &self.name)?;
        st.serialize_field("value", &self.value)?;
        st.serialize_field("explanation", &self.explanation())?;
        st.serialize_field("lines", &self.lines)?;
        st.serialize_field("params", &self.params)?;
        st.end()
    }
}

/// The explanation of one parameter (`branch`, `tag`, a Digest field, an option tag...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ParamExplanation {
    /// The name as written.
    pub name: String,
    /// The value as written, quotes removed; `None` for a flag such as `lr`.
    pub value: Option<String>,
    /// What it means here.
    pub explanation: String,
}

/// The explanation of a message body.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BodyExplanation {
    /// The media type (`application/sdp`).
    pub content_type: String,
    /// What the body is, in one or two sentences.
    pub summary: Vec<String>,
    /// Line by line (SDP), in order.
    pub lines: Vec<BodyLine>,
}

/// One line of a body and what it means.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BodyLine {
    /// The line as written.
    pub line: String,
    /// What it means.
    pub explanation: Vec<String>,
}
