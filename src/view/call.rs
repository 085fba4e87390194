//! A call's page: its row, ladder, messages, media and diagnosis in both languages.

use crate::correlate::{CallSummary, Correlation, MediaStream};
use crate::explain::{Lang, diagnosis};
use crate::render::chart::{StreamQuality, stream_quality};
use crate::render::html::{CallView, FindingView, MediaView, clean, ladder_svg};
use crate::render::model::{LadderModel, LadderOptions};

use super::message::message_views;
use super::row::{CallRow, millis};

/// The page of a call: with its ladder and messages when `detailed`, else its row and media
/// only (the report's size budget).
pub fn call_view(
    call: &CallSummary,
    correlation: &Correlation,
    media: &[&MediaStream],
    options: &LadderOptions,
    detailed: bool,
) -> CallView {
    let prefix = format!("c{}-", call.id);
    let (svg, messages_view) = if detailed {
        let messages = correlation.messages_of(call);
        let model = LadderModel::build(call, &messages, media, options);
        let views = message_views(call, &messages, &model, &prefix);
        (ladder_svg(&model, &prefix, true), views)
    } else {
        (String::new(), Vec::new())
    };
    // Both languages are in the page; the codes are the same in each.
    let fr = diagnosis::describe(call, media, true, Lang::Fr);
    let en = diagnosis::describe(call, media, true, Lang::En);
    let row = CallRow::new(call, &en);
    let diagnosis = [(Lang::Fr, fr), (Lang::En, en)]
        .into_iter()
        .flat_map(|(lang, found)| {
            found.into_iter().map(move |d| FindingView {
                lang: lang.code(),
                severity: d.severity.as_str(),
                code: d.code,
                text: clean(&d.text),
            })
        })
        .collect();
    CallView {
        id: row.id,
        prefix,
        kind: row.kind,
        state: row.state,
        status: row.status,
        status_code: row.status_code,
        from: row.from,
        to: row.to,
        start: row.start,
        duration: row.duration,
        duration_ms: row.duration_ms.unwrap_or(0),
        setup: row.setup,
        setup_ms: row.setup_ms,
        messages: row.messages,
        retransmissions: row.retransmissions,
        duplicates: row.duplicates,
        participants: row.participants.join(", "),
        call_ids: clean(&call.call_ids.join(", ")),
        joined_by: call
            .joins
            .iter()
            .map(|j| clean(&format!("{} ({})", j.evidence, j.rule.as_str())))
            .collect(),
        problems: row.problems,
        diagnosis,
        svg,
        messages_view,
        media: media.iter().map(|m| media_view(m)).collect(),
        media_svg: if detailed && !media.is_empty() {
            media_chart(media)
        } else {
            String::new()
        },
        detailed,
        attack: call.attack,
    }
}

/// A media stream line of the page.
fn media_view(m: &MediaStream) -> MediaView {
    MediaView {
        path: format!("{} → {}", m.src, m.dst),
        codec: m
            .codec
            .clone()
            .map(|c| clean(&c))
            .unwrap_or_else(|| format!("PT {}", m.payload_type)),
        packets: m.packets,
        lost: m.lost,
        loss: format!("{:.2}", m.loss_percent),
        jitter: format!("{:.2}", m.jitter_ms),
        max_delta: format!("{:.1}", m.max_delta_ms),
        duration: millis(Some(m.duration_ms)),
        mos: m.mos.map_or("-".to_string(), |v| format!("{v:.2}")),
    }
}

/// Jitter and loss per stream. The capture's streams keep their totals, not their course over
/// time, so the chart compares the streams rather than following one through the call.
fn media_chart(media: &[&MediaStream]) -> String {
    let streams: Vec<StreamQuality> = media
        .iter()
        .map(|m| StreamQuality {
            label: format!(
                "{} → {} {}",
                m.src,
                m.dst,
                m.codec.as_deref().unwrap_or_default()
            ),
            jitter_ms: m.jitter_ms,
            loss_percent: m.loss_percent,
            mos: m.mos,
        })
        .collect();
    stream_quality(&streams)
}
