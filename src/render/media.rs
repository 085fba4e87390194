//! The media of a ladder. Every stream the call's SDP announced belongs to the call wherever
//! its endpoints are, so every one is drawn: an endpoint goes to the SIP column of its address,
//! or of the node whose SDP announced it from its own host, or of its host; else to a column of
//! its own, marked as media, beside the node that announced it (a media gateway, a phone's
//! RTP address behind a PBX that let the media flow directly).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};

use crate::capture::Timestamp;
use crate::correlate::{MediaStream, MessageRecord};

use super::model::{Aliases, MediaLine, Participant, Role};

/// A column that only media reaches, before it is placed.
pub(super) struct MediaColumn {
    /// Its index among the participants.
    pub index: usize,
    /// The SIP column it is drawn beside: the one whose SDP announced its addresses first,
    /// else the one at the other end of its media.
    pub beside: Option<usize>,
}

/// Where one media-only column belongs: a host, the SIP column it is drawn beside and, when
/// both ends of a stream would share a column, the port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct MediaKey {
    ip: IpAddr,
    beside: Option<usize>,
    port: Option<u16>,
}

/// Finds the column of every stream endpoint, adding media-only columns to `participants`
/// (after the SIP ones) where none fits. Returns, per stream, its two columns, and the
/// media-only columns added.
pub(super) fn media_columns(
    streams: &[&MediaStream],
    messages: &[&MessageRecord],
    participants: &mut Vec<Participant>,
    column_of: &HashMap<SocketAddr, usize>,
    aliases: &Aliases,
) -> (Vec<Option<(usize, usize)>>, Vec<MediaColumn>) {
    let sip_columns = participants.len();
    // The first message to announce an address was sent by the node that chose it; proxies
    // pass the same SDP on later.
    let mut announced: HashMap<SocketAddr, usize> = HashMap::new();
    for m in messages {
        let Some(&column) = column_of.get(&m.src) else {
            continue;
        };
        for offer in &m.media {
            if let Some(ip) = offer.address.filter(|ip| !ip.is_unspecified()) {
                if offer.port != 0 {
                    announced
                        .entry(SocketAddr::new(ip, offer.port))
                        .or_insert(column);
                }
            }
        }
    }
    let mut added: HashMap<MediaKey, usize> = HashMap::new();
    let mut extra: Vec<MediaColumn> = Vec::new();
    let mut media_column = |end: SocketAddr,
                            beside: Option<usize>,
                            port: Option<u16>,
                            participants: &mut Vec<Participant>| {
        let key = MediaKey {
            ip: end.ip(),
            beside,
            port,
        };
        let index = *added.entry(key).or_insert_with(|| {
            participants.push(Participant {
                address: String::new(),
                label: String::new(),
                role: Some(Role::Media),
                addresses: Vec::new(),
            });
            let index = participants.len() - 1;
            extra.push(MediaColumn { index, beside });
            index
        });
        if let Some(p) = participants.get_mut(index) {
            if !p.addresses.contains(&end) {
                p.addresses.push(end);
            }
        }
        index
    };
    let mut ends = Vec::with_capacity(streams.len());
    for s in streams {
        let (Ok(src), Ok(dst)) = (s.src.parse::<SocketAddr>(), s.dst.parse::<SocketAddr>()) else {
            ends.push(None);
            continue;
        };
        let sip = |end: SocketAddr| {
            let announcer = announced.get(&end).copied();
            sip_column(end, announcer, participants, sip_columns, aliases)
        };
        // An endpoint of no SIP node goes beside the node that announced it, else beside the
        // node at the other end of its stream.
        let (a, b) = match (sip(src), sip(dst)) {
            (Some(a), Some(b)) if a != b => (a, b),
            // Two addresses given one name share a column, and so does the media between them.
            (Some(a), Some(_))
                if aliases
                    .name_of(src)
                    .is_some_and(|n| aliases.name_of(dst) == Some(n)) =>
            {
                (a, a)
            }
            (Some(a), Some(_)) => {
                let beside = announced.get(&dst).copied().or(Some(a));
                (a, media_column(dst, beside, Some(dst.port()), participants))
            }
            (Some(a), None) => {
                let beside = announced.get(&dst).copied().or(Some(a));
                (a, media_column(dst, beside, None, participants))
            }
            (None, Some(b)) => {
                let beside = announced.get(&src).copied().or(Some(b));
                (media_column(src, beside, None, participants), b)
            }
            (None, None) => {
                let a = media_column(src, announced.get(&src).copied(), None, participants);
                let mut b = media_column(dst, announced.get(&dst).copied(), None, participants);
                if a == b {
                    // Both ends in one column would draw nothing: the receiver gets a column
                    // of its own address.
                    let beside = announced.get(&dst).copied();
                    b = media_column(dst, beside, Some(dst.port()), participants);
                }
                (a, b)
            }
        };
        ends.push(Some((a, b)));
    }
    for column in &extra {
        if let Some(p) = participants.get_mut(column.index) {
            let list: Vec<String> = p.addresses.iter().map(SocketAddr::to_string).collect();
            p.address = list.join(", ");
            p.label = p
                .addresses
                .iter()
                .find_map(|a| aliases.name_of(*a))
                .map_or_else(|| p.address.clone(), str::to_string);
        }
    }
    (ends, extra)
}

/// The SIP column a media endpoint belongs to: its exact address; a column named like the
/// endpoint's alias; the announcing node when the address is on its host; else the first
/// column on its host.
fn sip_column(
    end: SocketAddr,
    announcer: Option<usize>,
    participants: &[Participant],
    sip_columns: usize,
    aliases: &Aliases,
) -> Option<usize> {
    let sip = participants.get(..sip_columns).unwrap_or_default();
    let on_host = |p: &Participant| p.addresses.iter().any(|a| a.ip() == end.ip());
    sip.iter()
        .position(|p| p.addresses.contains(&end))
        .or_else(|| {
            let alias = aliases.name_of(end)?;
            sip.iter().position(|p| p.label == alias)
        })
        .or_else(|| announcer.filter(|&c| sip.get(c).is_some_and(on_host)))
        .or_else(|| sip.iter().position(on_host))
}

/// The default order of the columns: the SIP ones in order of appearance, each media-only
/// column beside its SIP column (on the outer side of the first column, so that its media
/// does not cross the arrows of the call; to the right of the others), and the others at the
/// right end.
pub(super) fn placed(sip_columns: usize, media: &[MediaColumn]) -> Vec<usize> {
    let beside = |c: usize| media.iter().filter(move |m| m.beside == Some(c));
    let mut order: Vec<usize> = Vec::new();
    for c in 0..sip_columns {
        if c == 0 {
            order.extend(beside(c).map(|m| m.index).rev());
            order.push(c);
        } else {
            order.push(c);
            order.extend(beside(c).map(|m| m.index));
        }
    }
    order.extend(
        media
            .iter()
            .filter(|m| m.beside.is_none_or(|a| a >= sip_columns))
            .map(|m| m.index),
    );
    order
}

/// Streams as lines between their columns (`new_index` maps a column to its place), both
/// directions of one session on one line.
pub(super) fn media_lines(
    streams: &[&MediaStream],
    ends: &[Option<(usize, usize)>],
    new_index: impl Fn(usize) -> usize,
) -> Vec<MediaLine> {
    let mut lines: Vec<MediaLine> = Vec::new();
    for (s, end) in streams.iter().zip(ends) {
        let Some((a, b)) = *end else {
            continue;
        };
        let (a, b) = (new_index(a), new_index(b));
        let (lo, hi) = (a.min(b), a.max(b));
        match lines.iter_mut().find(|l| l.from == lo && l.to == hi) {
            Some(line) => line.streams.push((*s).clone()),
            None => lines.push(MediaLine {
                from: lo,
                to: hi,
                label: String::new(),
                time: s.start.clone(),
                streams: vec![(*s).clone()],
                ts: Timestamp::parse_rfc3339(&s.start).unwrap_or_default(),
            }),
        }
    }
    for line in &mut lines {
        let codec = line
            .streams
            .first()
            .and_then(|s| s.codec.clone())
            .unwrap_or_else(|| "RTP".to_string());
        let counts: Vec<String> = line.streams.iter().map(|s| s.packets.to_string()).collect();
        let lost: u64 = line.streams.iter().map(|s| s.lost).sum();
        let loss = if lost > 0 {
            format!(", {lost} lost")
        } else {
            String::new()
        };
        line.label = format!("RTP {codec} {} pkts{loss}", counts.join(" / "));
    }
    lines
}
