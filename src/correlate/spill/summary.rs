//! How a call summed up goes to the spill: every field, those JSON skips too (the legs, frames
//! and message indexes that filters and second readings use), in the order of the type.

use super::codec::{Damaged, Decoder, Encoder, Spilled};
use crate::correlate::diagnosis::{Described, Finding, Severity};
use crate::correlate::group::CallSummary;
use crate::correlate::join::{Join, JoinRule};

impl Spilled for Severity {
    fn put(&self, e: &mut Encoder<'_>) {
        let n: u8 = match self {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Info => 2,
        };
        n.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        match u8::take(d)? {
            0 => Ok(Severity::Error),
            1 => Ok(Severity::Warning),
            2 => Ok(Severity::Info),
            _ => Err(d.damaged()),
        }
    }
}

impl Spilled for JoinRule {
    fn put(&self, e: &mut Encoder<'_>) {
        let n: u8 = match self {
            JoinRule::XCallId => 0,
            JoinRule::AuthRetry => 1,
            JoinRule::ProxyReissue => 2,
            JoinRule::B2bua => 3,
        };
        n.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        match u8::take(d)? {
            0 => Ok(JoinRule::XCallId),
            1 => Ok(JoinRule::AuthRetry),
            2 => Ok(JoinRule::ProxyReissue),
            3 => Ok(JoinRule::B2bua),
            _ => Err(d.damaged()),
        }
    }
}

impl Spilled for Join {
    fn put(&self, e: &mut Encoder<'_>) {
        let Join {
            leg,
            to,
            rule,
            call_id,
            to_call_id,
            heuristic,
            host,
            evidence,
        } = self;
        leg.put(e);
        to.put(e);
        rule.put(e);
        call_id.put(e);
        to_call_id.put(e);
        heuristic.put(e);
        host.put(e);
        evidence.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Join {
            leg: Spilled::take(d)?,
            to: Spilled::take(d)?,
            rule: Spilled::take(d)?,
            call_id: Spilled::take(d)?,
            to_call_id: Spilled::take(d)?,
            heuristic: Spilled::take(d)?,
            host: Spilled::take(d)?,
            evidence: Spilled::take(d)?,
        })
    }
}

impl Spilled for Finding {
    fn put(&self, e: &mut Encoder<'_>) {
        let Finding {
            code,
            severity,
            facts,
            labels,
        } = self;
        code.put(e);
        severity.put(e);
        facts.put(e);
        labels.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Finding {
            code: Spilled::take(d)?,
            severity: Spilled::take(d)?,
            facts: Spilled::take(d)?,
            labels: Spilled::take(d)?,
        })
    }
}

impl Spilled for Described {
    fn put(&self, e: &mut Encoder<'_>) {
        let Described {
            code,
            severity,
            text,
            labels,
        } = self;
        code.put(e);
        severity.put(e);
        text.put(e);
        labels.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Described {
            code: Spilled::take(d)?,
            severity: Spilled::take(d)?,
            text: Spilled::take(d)?,
            labels: Spilled::take(d)?,
        })
    }
}

impl Spilled for CallSummary {
    fn put(&self, e: &mut Encoder<'_>) {
        let CallSummary {
            id,
            kind,
            call_id,
            method,
            from,
            to,
            state,
            final_status,
            messages,
            retransmissions,
            start,
            duration_ms,
            setup_ms,
            post_dial_delay_ms,
            talk_ms,
            hangup,
            participants,
            transports,
            call_ids,
            joined_by,
            joins,
            diagnosis,
            findings,
            sdp,
            duplicates,
            icmp_errors,
            aor,
            expires,
            challenges,
            refreshes,
            dialogs,
            forks,
            legs,
            leg_keys,
            start_ts,
            end_ts,
            frames,
            message_indices,
            attack,
        } = self;
        id.put(e);
        kind.put(e);
        call_id.put(e);
        method.put(e);
        from.put(e);
        to.put(e);
        state.put(e);
        final_status.put(e);
        messages.put(e);
        retransmissions.put(e);
        start.put(e);
        duration_ms.put(e);
        setup_ms.put(e);
        post_dial_delay_ms.put(e);
        talk_ms.put(e);
        hangup.put(e);
        participants.put(e);
        transports.put(e);
        call_ids.put(e);
        joined_by.put(e);
        joins.put(e);
        diagnosis.put(e);
        findings.put(e);
        sdp.put(e);
        duplicates.put(e);
        icmp_errors.put(e);
        aor.put(e);
        expires.put(e);
        challenges.put(e);
        refreshes.put(e);
        dialogs.put(e);
        forks.put(e);
        legs.put(e);
        leg_keys.put(e);
        start_ts.put(e);
        end_ts.put(e);
        frames.start().put(e);
        frames.end().put(e);
        message_indices.put(e);
        attack.put(e);
    }

    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(CallSummary {
            id: Spilled::take(d)?,
            kind: Spilled::take(d)?,
            call_id: Spilled::take(d)?,
            method: Spilled::take(d)?,
            from: Spilled::take(d)?,
            to: Spilled::take(d)?,
            state: Spilled::take(d)?,
            final_status: Spilled::take(d)?,
            messages: Spilled::take(d)?,
            retransmissions: Spilled::take(d)?,
            start: Spilled::take(d)?,
            duration_ms: Spilled::take(d)?,
            setup_ms: Spilled::take(d)?,
            post_dial_delay_ms: Spilled::take(d)?,
            talk_ms: Spilled::take(d)?,
            hangup: Spilled::take(d)?,
            participants: Spilled::take(d)?,
            transports: Spilled::take(d)?,
            call_ids: Spilled::take(d)?,
            joined_by: Spilled::take(d)?,
            joins: Spilled::take(d)?,
            diagnosis: Spilled::take(d)?,
            findings: Spilled::take(d)?,
            sdp: Spilled::take(d)?,
            duplicates: Spilled::take(d)?,
            icmp_errors: Spilled::take(d)?,
            aor: Spilled::take(d)?,
            expires: Spilled::take(d)?,
            challenges: Spilled::take(d)?,
            refreshes: Spilled::take(d)?,
            dialogs: Spilled::take(d)?,
            forks: Spilled::take(d)?,
            legs: Spilled::take(d)?,
            leg_keys: Spilled::take(d)?,
            start_ts: Spilled::take(d)?,
            end_ts: Spilled::take(d)?,
            frames: u64::take(d)?..=u64::take(d)?,
            message_indices: Spilled::take(d)?,
            attack: Spilled::take(d)?,
        })
    }
}
