//! The correlator's housekeeping: calls over and quiet are summed up and their legs dropped,
//! transactions over or abandoned are forgotten, and the least recently active ones go first
//! when too many are live. Each costs a bounded amount per message, whatever the traffic.

use std::collections::HashSet;

use super::{Correlator, Leg, Timestamp, store, transaction};

impl Correlator {
    /// Sums up the calls that are over and whose legs have all been quiet long enough (less
    /// long while too many legs are live, see [`store`]), and drops their legs and the
    /// transactions they name.
    fn retire_quiet(&mut self, now: Timestamp) {
        let at_ease = self.limits.legs_at_ease;
        for leg in self.legs.quiet(now, at_ease) {
            let hurried = self.legs.live() > at_ease;
            let root = self.groups.find(leg);
            let ids = self.groups.members(root);
            let mut early = false;
            let ready = ids.iter().all(|&id| match self.legs.get(id) {
                Some(l) => {
                    let quiet = now.nanos_since(l.end);
                    early |= quiet <= l.quiet_needed();
                    l.is_over()
                        && (quiet > l.quiet_needed()
                            || (hurried && l.may_hurry() && quiet > store::HURRIED_QUIET_NANOS))
                }
                None => true,
            });
            if !ready || self.legs.get(root).is_none() {
                continue;
            }
            let legs: Vec<Leg> = ids.iter().filter_map(|&id| self.legs.retire(id)).collect();
            if early {
                self.dropped.legs_hurried += legs.len() as u64;
            }
            for leg in &legs {
                for tx in &leg.transactions {
                    if self.transactions.get(tx).is_some_and(|t| t.leg == leg.id) {
                        self.forget_transaction(*tx);
                    }
                }
            }
            self.groups.forget(root);
            self.media.forget_groups(&ids);
            let joins = self.joins.remove(&root).unwrap_or_default();
            let leg_refs: Vec<&Leg> = legs.iter().collect();
            // A call summed up early stands as it would once its quiet had run out (a lone
            // INVITE unanswered has timed out, not still trying).
            let last = legs.iter().map(|l| l.end.0).max().unwrap_or(now.0);
            let at = if early {
                Timestamp(
                    now.0
                        .max(last.saturating_add(transaction::LINGER_NANOS + 1)),
                )
            } else {
                now
            };
            self.ended.add(
                &self.options,
                root,
                &leg_refs,
                &joins,
                at,
                &mut self.pending,
            );
        }
    }

    /// Forgets transactions that are over and quiet (retransmissions of them have stopped by
    /// now), oldest first from a queue: constant work per transaction. Those without a final
    /// answer are forgotten once silent for as long as their client waits: 64 × T1 (32 s,
    /// RFC 3261 Timers B and F) when nothing answered or the request is not an INVITE, and
    /// [`Limits::transaction_idle_nanos`](super::Limits::transaction_idle_nanos) for an INVITE
    /// answered provisionally (Timer C is more than 3 minutes). They are found by a pass over all live transactions, at most once
    /// per half of the shorter silence and only after as many messages as a quarter of them,
    /// so that the pass costs a bounded amount per message however the timestamps jump.
    pub(super) fn sweep(&mut self, now: Timestamp) {
        while let Some(&(done_at, id)) = self.completed.front() {
            // The queue follows the rate of transactions, not the live ones: a flood's 20,000
            // a second queue 640,000 in 32 s, most of them already gone with their leg or
            // evicted. Beyond the cap on live transactions, the oldest go before their time.
            let crowded = self.completed.len() > self.limits.transactions;
            if !crowded && now.nanos_since(done_at) <= transaction::LINGER_NANOS {
                break;
            }
            self.completed.pop_front();
            if crowded && self.transactions.contains_key(&id) {
                self.dropped.transactions_evicted += 1;
            }
            self.forget_transaction(id);
        }
        self.retire_quiet(now);
        self.since_sweep += 1;
        let idle = self.limits.transaction_idle_nanos;
        let unanswered = idle.min(transaction::LINGER_NANOS);
        if now.nanos_since(self.last_sweep) < unanswered / 2
            || self.since_sweep < self.transactions.len() / 4
        {
            return;
        }
        self.last_sweep = now;
        self.since_sweep = 0;
        let mut abandoned = 0;
        let finished: HashSet<usize> = self
            .transactions
            .values()
            .filter(|t| {
                if t.is_finished(now) {
                    return true;
                }
                let waits = if t.provisional_at.is_some() && t.method == "INVITE" {
                    idle
                } else {
                    unanswered
                };
                let silent = now.nanos_since(t.last_at) > waits;
                abandoned += u64::from(silent);
                silent
            })
            .map(|t| t.id)
            .collect();
        self.dropped.transactions_abandoned += abandoned;
        self.forget_transactions(&finished);
    }

    /// Forgets the least recently active sixteenth of the live transactions.
    pub(super) fn evict_transactions(&mut self) {
        let mut by_age: Vec<(Timestamp, usize)> = self
            .transactions
            .values()
            .map(|t| (t.last_at, t.id))
            .collect();
        let n = (self.limits.transactions / 16).clamp(1, by_age.len().max(1));
        if by_age.len() > n {
            by_age.select_nth_unstable(n);
        }
        by_age.truncate(n);
        let ids: HashSet<usize> = by_age.into_iter().map(|(_, id)| id).collect();
        self.dropped.transactions_evicted += ids.len() as u64;
        self.forget_transactions(&ids);
    }

    fn forget_transactions(&mut self, ids: &HashSet<usize>) {
        for id in ids {
            self.forget_transaction(*id);
        }
    }

    fn forget_transaction(&mut self, id: usize) {
        if let Some(tx) = self.transactions.remove(&id) {
            self.tx_by_key.remove(tx.key_hash, tx.id);
        }
    }
}
