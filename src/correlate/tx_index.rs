//! Finds the live transaction of a message by its key. Every message is looked up, and on a
//! busy capture a transaction is forgotten for nearly every other message, long after it was
//! last touched: the lookup borrows the key from the message's record (no allocation), and
//! forgetting goes by the stored hash and the transaction's number, without reading the key
//! strings again (they have left the caches by then).

use std::hash::Hasher;

use hashbrown::HashTable;
use rustc_hash::FxHasher;

use super::record::MessageRecord;
use super::transaction::{MAGIC_COOKIE, TransactionKey};

/// A message's transaction key, borrowed from its record.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum KeyRef<'r> {
    /// RFC 3261 §17.1.3 / §17.2.3: branch, sent-by (compared without case), method.
    Rfc3261 {
        branch: &'r str,
        sent_by: &'r str,
        method: &'r str,
    },
    /// RFC 2543 fallback.
    Rfc2543 {
        call_id: &'r str,
        from_tag: &'r str,
        cseq: u32,
        method: &'r str,
        sent_by: &'r str,
    },
}

impl<'r> KeyRef<'r> {
    /// The key of the transaction a message belongs to (ACK counted as INVITE).
    pub(crate) fn of(record: &'r MessageRecord) -> KeyRef<'r> {
        let method = match record.transaction_method() {
            "ACK" => "INVITE",
            m => m,
        };
        match &record.branch {
            Some(branch) if branch.starts_with(MAGIC_COOKIE) => KeyRef::Rfc3261 {
                branch,
                sent_by: &record.sent_by,
                method,
            },
            _ => KeyRef::Rfc2543 {
                call_id: &record.call_id,
                from_tag: record.from.tag.as_deref().unwrap_or_default(),
                cseq: record.cseq.unwrap_or(0),
                method,
                sent_by: &record.sent_by,
            },
        }
    }

    /// The same key for another method (a CANCEL's INVITE).
    pub(crate) fn with_method(self, to: &'r str) -> KeyRef<'r> {
        match self {
            KeyRef::Rfc3261 {
                branch, sent_by, ..
            } => KeyRef::Rfc3261 {
                branch,
                sent_by,
                method: to,
            },
            KeyRef::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                sent_by,
                ..
            } => KeyRef::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                method: to,
                sent_by,
            },
        }
    }

    /// The key owned, sent-by in lower case.
    pub(crate) fn to_owned(self) -> TransactionKey {
        match self {
            KeyRef::Rfc3261 {
                branch,
                sent_by,
                method,
            } => TransactionKey::Rfc3261 {
                branch: branch.to_string(),
                sent_by: sent_by.to_ascii_lowercase(),
                method: method.to_string(),
            },
            KeyRef::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                method,
                sent_by,
            } => TransactionKey::Rfc2543 {
                call_id: call_id.to_string(),
                from_tag: from_tag.to_string(),
                cseq,
                method: method.to_string(),
                sent_by: sent_by.to_ascii_lowercase(),
            },
        }
    }

    /// Borrows an owned key.
    fn from_owned(key: &'r TransactionKey) -> KeyRef<'r> {
        match key {
            TransactionKey::Rfc3261 {
                branch,
                sent_by,
                method,
            } => KeyRef::Rfc3261 {
                branch,
                sent_by,
                method,
            },
            TransactionKey::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                method,
                sent_by,
            } => KeyRef::Rfc2543 {
                call_id,
                from_tag,
                cseq: *cseq,
                method,
                sent_by,
            },
        }
    }

    /// Whether an owned key is this one (sent-by without case).
    fn matches(self, key: &TransactionKey) -> bool {
        match (self, KeyRef::from_owned(key)) {
            (
                KeyRef::Rfc3261 {
                    branch: b1,
                    sent_by: s1,
                    method: m1,
                },
                KeyRef::Rfc3261 {
                    branch: b2,
                    sent_by: s2,
                    method: m2,
                },
            ) => b1 == b2 && m1 == m2 && s1.eq_ignore_ascii_case(s2),
            (
                KeyRef::Rfc2543 {
                    call_id: c1,
                    from_tag: f1,
                    cseq: n1,
                    method: m1,
                    sent_by: s1,
                },
                KeyRef::Rfc2543 {
                    call_id: c2,
                    from_tag: f2,
                    cseq: n2,
                    method: m2,
                    sent_by: s2,
                },
            ) => n1 == n2 && c1 == c2 && f1 == f2 && m1 == m2 && s1.eq_ignore_ascii_case(s2),
            _ => false,
        }
    }

    /// Hash of the key, sent-by folded to lower case (an owned key hashes the same).
    fn hash(self) -> u64 {
        let mut h = FxHasher::default();
        let text = |h: &mut FxHasher, s: &str| {
            h.write(s.as_bytes());
            h.write_u8(0xff);
        };
        match self {
            KeyRef::Rfc3261 {
                branch,
                sent_by,
                method,
            } => {
                h.write_u8(0);
                text(&mut h, branch);
                text(&mut h, method);
                lowercase_into(&mut h, sent_by);
            }
            KeyRef::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                method,
                sent_by,
            } => {
                h.write_u8(1);
                text(&mut h, call_id);
                text(&mut h, from_tag);
                h.write_u32(cseq);
                text(&mut h, method);
                lowercase_into(&mut h, sent_by);
            }
        }
        h.finish()
    }
}

/// Feeds `s` in lower case, in fixed pieces so that a text and its lower case hash alike.
fn lowercase_into(h: &mut FxHasher, s: &str) {
    let mut piece = [0u8; 32];
    for chunk in s.as_bytes().chunks(piece.len()) {
        let piece = piece.get_mut(..chunk.len()).unwrap_or_default();
        for (to, from) in piece.iter_mut().zip(chunk) {
            *to = from.to_ascii_lowercase();
        }
        h.write(piece);
    }
    h.write_u8(0xff);
}

/// Live transactions by key: `(hash, key, transaction number)`.
#[derive(Default)]
pub(crate) struct TransactionIndex {
    table: HashTable<(u64, TransactionKey, usize)>,
}

impl TransactionIndex {
    /// The transaction a key names.
    pub(crate) fn find(&self, key: KeyRef<'_>) -> Option<usize> {
        self.table
            .find(key.hash(), |(_, k, _)| key.matches(k))
            .map(|(_, _, id)| *id)
    }

    /// Names transaction `id` by `key` (in place of any earlier one); returns the hash to
    /// forget it by.
    pub(crate) fn insert(&mut self, key: KeyRef<'_>, id: usize) -> u64 {
        let hash = key.hash();
        match self.table.find_mut(hash, |(_, k, _)| key.matches(k)) {
            Some(entry) => entry.2 = id,
            None => {
                self.table
                    .insert_unique(hash, (hash, key.to_owned(), id), |e| e.0);
            }
        }
        hash
    }

    /// Forgets transaction `id`, named under `hash`.
    pub(crate) fn remove(&mut self, hash: u64, id: usize) {
        if let Ok(entry) = self.table.find_entry(hash, |(_, _, i)| *i == id) {
            entry.remove();
        }
    }

    /// Keys remembered.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.table.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(branch: &str, sent_by: &'static str, method: &'static str) -> TransactionKey {
        TransactionKey::Rfc3261 {
            branch: branch.into(),
            sent_by: sent_by.into(),
            method: method.into(),
        }
    }

    #[test]
    fn sent_by_is_compared_and_hashed_without_case() {
        let long = "Proxy-With-A-Rather-Long-Host-Name.Example.COM:5060";
        let upper = KeyRef::Rfc3261 {
            branch: "z9hG4bK1",
            sent_by: long,
            method: "INVITE",
        };
        let owned = upper.to_owned();
        assert_eq!(
            owned,
            key(
                "z9hG4bK1",
                "proxy-with-a-rather-long-host-name.example.com:5060",
                "INVITE"
            )
        );
        assert_eq!(KeyRef::from_owned(&owned).hash(), upper.hash());
        assert!(upper.matches(&owned));
        assert!(!upper.with_method("CANCEL").matches(&owned));
    }

    #[test]
    fn find_insert_and_forget() {
        let mut index = TransactionIndex::default();
        let a = KeyRef::Rfc3261 {
            branch: "z9hG4bKa",
            sent_by: "10.0.0.1:5060",
            method: "INVITE",
        };
        let b = KeyRef::Rfc2543 {
            call_id: "c@h",
            from_tag: "1",
            cseq: 1,
            method: "INVITE",
            sent_by: "10.0.0.1",
        };
        assert_eq!(index.find(a), None);
        let ha = index.insert(a, 1);
        let hb = index.insert(b, 2);
        assert_eq!(index.find(a), Some(1));
        assert_eq!(index.find(b), Some(2));
        assert_eq!(index.find(a.with_method("BYE")), None);
        // A key named again points at the newer transaction; forgetting the older is a no-op.
        index.insert(a, 3);
        assert_eq!(index.len(), 2);
        index.remove(ha, 1);
        assert_eq!(index.find(a), Some(3));
        index.remove(ha, 3);
        index.remove(hb, 2);
        assert_eq!((index.find(a), index.find(b), index.len()), (None, None, 0));
    }
}
