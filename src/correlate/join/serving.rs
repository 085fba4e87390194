//! The requests each host is serving: initial requests it received and has not yet answered
//! with a final response. A host that sends a new request under a new Call-ID while it serves
//! one is re-issuing it (a proxy acting as its own UAC, [`super::proxy_reissue`]) or bridging
//! it (a back-to-back user agent, [`super::b2bua`]).

use std::net::IpAddr;

use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;

use crate::capture::Timestamp;
use crate::correlate::record::MessageRecord;
use crate::correlate::transaction::LINGER_NANOS;

/// Requests in progress remembered per serving host.
const MAX_OPEN_PER_HOST: usize = 256;

/// An unanswered request a host is serving.
#[derive(Clone, Debug)]
pub struct OpenRequest {
    /// Its transaction.
    pub tx: usize,
    /// Its leg.
    pub leg: usize,
    /// When it reached the host.
    pub at: Timestamp,
    /// Its method.
    pub method: CompactString,
    /// Who it is for: the To user of a REGISTER, the Request-URI user otherwise.
    pub user: Option<CompactString>,
    /// The To user.
    pub to_user: Option<CompactString>,
    /// Who it is from: the From user.
    pub from_user: Option<CompactString>,
    /// The P-Asserted-Identity user.
    pub asserted_user: Option<CompactString>,
}

/// Requests in progress, by the host serving them.
#[derive(Default)]
pub struct Serving {
    open: HashMap<IpAddr, Vec<OpenRequest>>,
    /// Hosts forgotten when the cap was reached.
    pub forgotten: u64,
}

impl Serving {
    /// The requests `host` is serving, oldest first.
    pub fn at(&self, host: IpAddr) -> &[OpenRequest] {
        self.open.get(&host).map_or(&[], Vec::as_slice)
    }

    /// Hosts remembered.
    pub fn hosts(&self) -> usize {
        self.open.len()
    }

    /// Keeps the list up to date with a message of transaction `tx`, leg `leg`; at most
    /// `max_hosts` hosts are remembered.
    pub fn track(&mut self, record: &MessageRecord, tx: usize, leg: usize, max_hosts: usize) {
        if record.retransmission {
            return;
        }
        match record.code() {
            None if record.is_initial_request() && record.method() != Some("ACK") => {
                let host = record.dst.ip();
                if !self.open.contains_key(&host) && self.open.len() >= max_hosts {
                    // Requests open for longer than their client waits will not be re-issued.
                    self.open.retain(|_, list| {
                        list.retain(|o| record.ts.nanos_since(o.at) <= LINGER_NANOS);
                        !list.is_empty()
                    });
                    if self.open.len() >= max_hosts / 2 {
                        self.forgotten += self.open.len() as u64;
                        self.open.clear();
                    }
                }
                let list = self.open.entry(host).or_default();
                if list.len() >= MAX_OPEN_PER_HOST {
                    list.remove(0);
                }
                list.push(OpenRequest {
                    tx,
                    leg,
                    at: record.ts,
                    method: record.method().unwrap_or_default().into(),
                    user: request_user(record),
                    to_user: record.to.user.clone(),
                    from_user: record.from.user.clone(),
                    asserted_user: record.asserted_user.clone(),
                });
            }
            Some(code) if code >= 200 => {
                if let Some(list) = self.open.get_mut(&record.src.ip()) {
                    list.retain(|o| o.tx != tx);
                }
            }
            _ => {}
        }
    }
}

/// The user a request is for: the To user of a REGISTER, the Request-URI user otherwise.
pub fn request_user(record: &MessageRecord) -> Option<CompactString> {
    if record.method() == Some("REGISTER") {
        return record.to.user.clone();
    }
    record
        .request_user()
        .map(CompactString::from)
        .or_else(|| record.to.user.clone())
}
