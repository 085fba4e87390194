//! The body: an SDP offer or answer explained line by line (session, connection, media,
//! codecs, direction, ICE, SRTP and DTLS attributes), or a plain word on any other body.

use crate::sip::{Method, Sdp};

use super::model::{BodyExplanation, BodyLine};
use super::scene::Scene;

/// Explains the body, when there is one.
pub(crate) fn explain_body(scene: &Scene<'_, '_>) -> Option<BodyExplanation> {
    let msg = scene.msg;
    if msg.body.is_empty() {
        return None;
    }
    let ct = msg.content_type();
    let content_type = ct.map_or_else(String::new, |c| format!("{}/{}", c.main, c.sub));
    let len = msg.body.len().to_string();
    let mut summary = Vec::new();
    if let Some(mp) = msg.multipart() {
        let types: Vec<String> = mp
            .parts
            .iter()
            .map(|p| {
                p.content_type().map_or_else(
                    || "text/plain".to_owned(),
                    |c| format!("{}/{}", c.main, c.sub),
                )
            })
            .collect();
        let count = types.len().to_string();
        let list = types.join(", ");
        summary.push(scene.t(
            "body.multipart",
            &[("count", count.as_str()), ("types", list.as_str())],
        ));
    }
    let lines = match msg.sdp() {
        Some(sdp) => {
            summary.push(scene.t(offer_or_answer(scene), &[]));
            explain_sdp(scene, &sdp)
        }
        None => {
            if msg.multipart().is_none() {
                summary.push(scene.t(
                    "body.other",
                    &[("type", content_type.as_str()), ("len", len.as_str())],
                ));
            }
            Vec::new()
        }
    };
    Some(BodyExplanation {
        content_type,
        summary,
        lines,
    })
}

/// Offer in a request (answer in an ACK), answer in a response unless the request had no SDP.
fn offer_or_answer(scene: &Scene<'_, '_>) -> &'static str {
    if scene.request {
        if scene.msg.method() == Some(Method::Ack) {
            "body.sdp.answer"
        } else {
            "body.sdp.offer"
        }
    } else {
        match scene.ctx.request {
            Some(req) if req.sdp().is_none() => "body.sdp.offer",
            _ => "body.sdp.answer",
        }
    }
}

fn explain_sdp(scene: &Scene<'_, '_>, sdp: &Sdp<'_>) -> Vec<BodyLine> {
    let mut out = Vec::new();
    let mut media_index: Option<usize> = None;
    for raw in sdp.raw.as_bytes().split(|b| *b == b'\n') {
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        if raw.is_empty() {
            continue;
        }
        let line = String::from_utf8_lossy(raw).into_owned();
        let (kind, value) = match line.split_once('=') {
            Some((k, v)) if k.len() == 1 => (k.to_owned(), v.to_owned()),
            _ => {
                out.push(BodyLine {
                    explanation: vec![scene.t("sdp.malformed", &[])],
                    line,
                });
                continue;
            }
        };
        if kind == "m" {
            media_index = Some(media_index.map_or(0, |i| i + 1));
        }
        let media = media_index.and_then(|i| sdp.media.get(i));
        let explanation = match kind.as_str() {
            "m" => media_line(scene, &value, media),
            "a" => attribute_line(scene, &value, media),
            "c" => connection_line(scene, &value, media.is_some()),
            "o" => {
                let w: Vec<&str> = value.split_whitespace().collect();
                let get = |i: usize| w.get(i).copied().unwrap_or("");
                vec![scene.t(
                    "sdp.o",
                    &[
                        ("user", get(0)),
                        ("id", get(1)),
                        ("version", get(2)),
                        ("address", get(5)),
                    ],
                )]
            }
            "t" if value.trim() == "0 0" => vec![scene.t("sdp.t_unbounded", &[])],
            "s" if value.trim() == "-" || value.trim().is_empty() => {
                vec![scene.t("sdp.s_empty", &[])]
            }
            "b" => {
                let (k, v) = value.split_once(':').unwrap_or((value.as_str(), ""));
                vec![scene.first_of(
                    &[&format!("sdp.b.{}", k.to_ascii_uppercase()), "sdp.b.other"],
                    &[("kind", k), ("value", v)],
                )]
            }
            k => vec![scene.first_of(&[&format!("sdp.{k}"), "sdp.unknown"], &[("value", &value)])],
        };
        out.push(BodyLine { line, explanation });
    }
    out
}

fn media_line(
    scene: &Scene<'_, '_>,
    value: &str,
    media: Option<&crate::sip::Media<'_>>,
) -> Vec<String> {
    let w: Vec<&str> = value.split_whitespace().collect();
    let kind = w.first().copied().unwrap_or("");
    let port = w.get(1).copied().unwrap_or("");
    let proto = w.get(2).copied().unwrap_or("");
    let formats: Vec<String> = w
        .iter()
        .skip(3)
        .map(|f| {
            let name = media.and_then(|m| {
                let pt: u8 = f.parse().ok()?;
                m.rtpmap(pt)
                    .map(|r| r.encoding.to_string())
                    .or_else(|| static_payload(pt).map(str::to_owned))
            });
            match name {
                Some(n) => format!("{f} ({n})"),
                None => (*f).to_owned(),
            }
        })
        .collect();
    let formats = formats.join(", ");
    let kind_word = scene.first_of(
        &[&format!("sdp.media.{kind}"), "sdp.media.other"],
        &[("value", kind)],
    );
    let args = [
        ("kind", kind_word.as_str()),
        ("port", port),
        ("proto", proto),
        ("formats", formats.as_str()),
    ];
    let mut lines = Vec::new();
    if media.is_some_and(|m| m.port == 0) {
        lines.push(scene.t("sdp.m_disabled", &args));
    } else {
        lines.push(scene.t("sdp.m", &args));
    }
    let proto_key = format!("sdp.proto.{}", proto.to_ascii_lowercase());
    if scene.has(&proto_key) {
        lines.push(scene.t(&proto_key, &args));
    }
    lines
}

/// Static RTP payload types of RFC 3551 that offers often leave without rtpmap.
fn static_payload(pt: u8) -> Option<&'static str> {
    Some(match pt {
        0 => "PCMU",
        3 => "GSM",
        4 => "G723",
        8 => "PCMA",
        9 => "G722",
        13 => "CN",
        18 => "G729",
        _ => return None,
    })
}

fn connection_line(scene: &Scene<'_, '_>, value: &str, in_media: bool) -> Vec<String> {
    let address = value.split_whitespace().nth(2).unwrap_or("");
    let args = [("address", address)];
    let ip = address.split('/').next().unwrap_or("");
    if ip == "0.0.0.0" {
        return vec![scene.t("sdp.c_hold", &args)];
    }
    let key = if in_media { "sdp.c_media" } else { "sdp.c" };
    vec![scene.t(key, &args)]
}

fn attribute_line(
    scene: &Scene<'_, '_>,
    value: &str,
    media: Option<&crate::sip::Media<'_>>,
) -> Vec<String> {
    let (name, attr_value) = match value.split_once(':') {
        Some((n, v)) => (n, v),
        None => (value, ""),
    };
    let lower = name.to_ascii_lowercase();
    let words: Vec<&str> = attr_value.split_whitespace().collect();
    let word = |i: usize| words.get(i).copied().unwrap_or("");
    let mut lines = Vec::new();
    match lower.as_str() {
        "rtpmap" => {
            let (codec, rest) = word(1).split_once('/').unwrap_or((word(1), ""));
            let (rate, channels) = rest.split_once('/').unwrap_or((rest, ""));
            let args = [
                ("pt", word(0)),
                ("codec", codec),
                ("rate", rate),
                ("channels", channels),
            ];
            let key = if rate.is_empty() {
                "sdp.a.rtpmap_no_rate"
            } else {
                "sdp.a.rtpmap"
            };
            lines.push(scene.t(key, &args));
            let codec_key = format!("codec.{}", codec.to_ascii_lowercase());
            if scene.has(&codec_key) {
                lines.push(scene.t(&codec_key, &args));
            }
        }
        "fmtp" => {
            let pt = word(0);
            let params = attr_value.split_once(' ').map_or("", |(_, p)| p);
            let codec = media
                .and_then(|m| m.rtpmap(pt.parse().ok()?))
                .map(|r| r.encoding.to_string())
                .unwrap_or_else(|| pt.to_owned());
            lines.push(scene.t(
                "sdp.a.fmtp",
                &[("pt", pt), ("codec", codec.as_str()), ("params", params)],
            ));
        }
        "candidate" => {
            // foundation component transport priority address port "typ" type
            let typ = words
                .iter()
                .position(|w| *w == "typ")
                .and_then(|i| words.get(i + 1))
                .copied()
                .unwrap_or("");
            let args = [
                ("component", word(1)),
                ("transport", word(2)),
                ("address", word(4)),
                ("port", word(5)),
                ("type", typ),
            ];
            lines.push(scene.t("sdp.a.candidate", &args));
            let typ_key = format!("sdp.candidate_type.{}", typ.to_ascii_lowercase());
            if scene.has(&typ_key) {
                lines.push(scene.t(&typ_key, &args));
            }
        }
        "crypto" => lines.push(scene.t("sdp.a.crypto", &[("tag", word(0)), ("suite", word(1))])),
        "setup" => {
            let v = attr_value.trim().to_ascii_lowercase();
            lines.push(scene.first_of(
                &[&format!("sdp.a.setup.{v}"), "sdp.a.setup.other"],
                &[("value", attr_value)],
            ));
        }
        "fingerprint" => lines.push(scene.t("sdp.a.fingerprint", &[("hash", word(0))])),
        _ => {
            let key = format!("sdp.a.{lower}");
            let args = [("name", name), ("value", attr_value)];
            lines.push(scene.first_of(&[&key, "sdp.a.unknown"], &args));
        }
    }
    lines
}
