//! What a correlator keeps besides summaries, as its callers ask.

use super::JoinPolicy;

/// What the correlator keeps besides summaries.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Keep a record of every message (ladders need them; counts and summaries do not).
    pub keep_messages: bool,
    /// Keep each message's bytes in its record (explanations need them).
    pub keep_raw: bool,
    /// Keep records only for these Call-IDs (a second reading that draws a few calls of a
    /// large capture keeps only their messages); `None` keeps every one.
    pub only_call_ids: Option<std::collections::BTreeSet<String>>,
    /// With [`Options::only_call_ids`], sum up only the calls that hold one of those Call-IDs
    /// and count the others by kind: a second reading over some calls' frames meets the
    /// exchanges between them (under a flood, the seconds around one exchange hold tens of
    /// thousands) and needs no summary of theirs.
    pub count_others: bool,
    /// Keep no summary of the calls that are over, only their number per kind (statistics
    /// need no more): memory then stays flat however long the capture.
    pub count_only: bool,
    /// Do not follow RTP streams (statistics do not report them).
    pub skip_media: bool,
    /// Write the calls that are over to a temporary file once more than this many are held
    /// ([`spill`](super::spill)), for a caller that takes them one by one
    /// ([`Correlator::finish_streaming`](super::Correlator::finish_streaming)): memory then
    /// stays flat however many calls the capture holds. `None` holds them all.
    pub spill_after: Option<usize>,
    /// Hand each call's kept messages out with it
    /// ([`Calls::next_with_records`](super::Calls::next_with_records)), encoded when the call
    /// is over, instead of keeping their records to the end (the correlation's `messages` are
    /// then empty): with [`Options::spill_after`], memory holds only the records of the calls
    /// in progress.
    pub message_records: bool,
    /// Which rules may join legs of different Call-IDs into one call.
    pub join: JoinPolicy,
}

impl Options {
    /// Whether to keep the record of a message of this Call-ID.
    pub(super) fn keeps(&self, call_id: &str) -> bool {
        self.keep_messages
            && self
                .only_call_ids
                .as_ref()
                .is_none_or(|ids| ids.contains(call_id))
    }
}
