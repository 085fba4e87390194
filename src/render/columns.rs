//! Who each SIP column of a ladder is: its name, from what the node itself originated, and its
//! role when the messages make it evident. A proxy passes on the User-Agent of the requests
//! and the Server of the responses it relays, so naming a column by the first header its
//! address sent would title a proxy after the phone behind it (the course's call ladder
//! titled the proxy "SFLphone"): only a request sent with a single Via and a response the node
//! had not itself received from further on speak for the node.

use std::collections::HashMap;
use std::net::SocketAddr;

use crate::capture::Transport;
use crate::correlate::{MessageRecord, Start};

use super::model::{Aliases, Participant, Role};
use crate::correlate::{Join, JoinRule};

/// The SIP columns of a call, in order of first appearance (sender before receiver), with the
/// column of each address. Addresses aliased to one name share a column.
pub(super) fn sip_columns(
    messages: &[&MessageRecord],
    aliases: &Aliases,
) -> (Vec<Participant>, HashMap<SocketAddr, usize>) {
    let mut participants: Vec<Participant> = Vec::new();
    let mut column_of: HashMap<SocketAddr, usize> = HashMap::new();
    for m in messages {
        for address in [m.src, m.dst] {
            if column_of.contains_key(&address) {
                continue;
            }
            let alias = aliases.name_of(address);
            let merged = alias.and_then(|a| participants.iter().position(|p| p.label == a));
            let column = match merged.and_then(|c| participants.get_mut(c).map(|p| (c, p))) {
                Some((column, p)) => {
                    p.addresses.push(address);
                    p.address = format!("{}, {address}", p.address);
                    column
                }
                None => {
                    participants.push(Participant {
                        address: address.to_string(),
                        label: alias.map(str::to_string).unwrap_or_default(),
                        role: None,
                        addresses: vec![address],
                    });
                    participants.len() - 1
                }
            };
            column_of.insert(address, column);
        }
    }
    (participants, column_of)
}

/// Names the unnamed columns by what they originated (else their address) and marks the
/// columns that relayed a request as proxies.
pub(super) fn name_and_role(
    participants: &mut [Participant],
    column_of: &HashMap<SocketAddr, usize>,
    messages: &[&MessageRecord],
) {
    let mut names: Vec<Option<String>> = vec![None; participants.len()];
    let mut proxies: Vec<bool> = vec![false; participants.len()];
    // Responses and requests seen so far, by what a relayed copy keeps of them.
    let mut responses: HashMap<ResponseKey<'_>, Vec<Hop>> = HashMap::new();
    let mut requests: HashMap<RequestKey<'_>, Vec<(Hop, usize)>> = HashMap::new();
    for m in messages {
        let Some(&column) = column_of.get(&m.src) else {
            continue;
        };
        let node = participants
            .get(column)
            .map_or(&[][..], |p| p.addresses.as_slice());
        let hop = Hop {
            dst: m.dst,
            transport: m.transport,
        };
        match &m.start {
            Start::Request { method, .. } => {
                let key = (m.call_id.as_str(), m.cseq, method.as_str());
                let relayed = requests.get(&key).is_some_and(|earlier| {
                    earlier
                        .iter()
                        .any(|(h, vias)| vias + 1 == m.vias && h.reaches(node))
                });
                if relayed {
                    if let Some(p) = proxies.get_mut(column) {
                        *p = true;
                    }
                }
                // A request without a Via was relayed by no proxy either (a proxy adds one).
                if m.vias <= 1 {
                    name_once(&mut names, column, m);
                }
                let list = requests.entry(key).or_default();
                if !list.iter().any(|(h, v)| *h == hop && *v == m.vias) {
                    list.push((hop, m.vias));
                }
            }
            Start::Response { code, .. } => {
                let key = (m.cseq, m.cseq_method.as_str(), *code);
                let relayed = responses
                    .get(&key)
                    .is_some_and(|earlier| earlier.iter().any(|h| h.reaches(node)));
                if !relayed {
                    name_once(&mut names, column, m);
                }
                let list = responses.entry(key).or_default();
                if !list.contains(&hop) {
                    list.push(hop);
                }
            }
        }
    }
    for ((p, name), proxy) in participants.iter_mut().zip(names).zip(proxies) {
        if p.label.is_empty() {
            p.label = name.unwrap_or_else(|| p.address.clone());
        }
        if proxy {
            p.role = Some(Role::Proxy);
        }
    }
}

/// Marks the hosts that joined the call's legs: the one that re-issued a request as its own
/// UAC is a proxy, the one that bridged two legs a B2BUA (what correlation found, so that the
/// ladder and `calls` tell the same story).
pub(super) fn roles_from_joins(participants: &mut [Participant], joins: &[Join]) {
    for join in joins {
        let role = match join.rule {
            JoinRule::ProxyReissue => Role::Proxy,
            JoinRule::B2bua => Role::B2bua,
            JoinRule::XCallId | JoinRule::AuthRetry => continue,
        };
        let Some(host) = join.host else { continue };
        for p in participants.iter_mut() {
            let here = p.addresses.iter().any(|a| a.ip() == host);
            if here && p.role != Some(Role::Media) {
                p.role = Some(role);
            }
        }
    }
}

/// What a relayed request keeps: Call-ID, CSeq number, method.
type RequestKey<'a> = (&'a str, Option<u32>, &'a str);
/// What a relayed response keeps: CSeq number and method, status code.
type ResponseKey<'a> = (Option<u32>, &'a str, u16);

/// Where a message went, to tell whether a node received it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Hop {
    dst: SocketAddr,
    transport: Transport,
}

impl Hop {
    /// The message reached the node of these addresses: one of them, or the same host over a
    /// connection, whose other end a node opens from a port of the moment (the lab proxy
    /// receives on 5060 and relays from 127.0.0.2:44129 over TCP).
    fn reaches(&self, node: &[SocketAddr]) -> bool {
        node.contains(&self.dst)
            || (self.transport != Transport::Udp && node.iter().any(|a| a.ip() == self.dst.ip()))
    }
}

/// The first User-Agent or Server a column originated names it.
fn name_once(names: &mut [Option<String>], column: usize, m: &MessageRecord) {
    if let (Some(slot @ None), Some(agent)) = (names.get_mut(column), &m.agent) {
        *slot = Some(agent.to_string());
    }
}

/// Column order: the names or addresses given first, in that order, then the rest in the
/// order given by `default`.
pub(super) fn reorder(
    participants: &[Participant],
    default: &[usize],
    order: &[String],
) -> Vec<usize> {
    let mut out: Vec<usize> = Vec::new();
    for wanted in order {
        let found = participants.iter().position(|p| {
            p.label == *wanted
                || p.addresses
                    .iter()
                    .any(|a| a.to_string() == *wanted || a.ip().to_string() == *wanted)
        });
        if let Some(i) = found {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    }
    let rest: Vec<usize> = default
        .iter()
        .copied()
        .filter(|i| !out.contains(i))
        .collect();
    out.extend(rest);
    out
}
