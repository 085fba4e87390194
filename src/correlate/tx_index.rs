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

/// A message's transaction key, borrowed from its record: the fields of either kind of
/// [`TransactionKey`] in one shape.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct KeyRef<'r> {
    /// RFC 3261 (a branch with the magic cookie), or the RFC 2543 fallback.
    rfc3261: bool,
    /// The branch (RFC 3261), or the Call-ID and the From tag (RFC 2543).
    ids: [&'r str; 2],
    /// The CSeq number (RFC 2543; 0 otherwise).
    cseq: u32,
    /// The method, ACK counted as INVITE.
    method: &'r str,
    /// The top Via sent-by, compared without case.
    sent_by: &'r str,
}

impl<'r> KeyRef<'r> {
    /// The key of the transaction a message belongs to.
    pub(crate) fn of(record: &'r MessageRecord) -> KeyRef<'r> {
        let method = match record.transaction_method() {
            "ACK" => "INVITE",
            m => m,
        };
        let sent_by = &record.sent_by;
        match &record.branch {
            Some(branch) if branch.starts_with(MAGIC_COOKIE) => KeyRef {
                rfc3261: true,
                ids: [branch, ""],
                cseq: 0,
                method,
                sent_by,
            },
            _ => KeyRef {
                rfc3261: false,
                ids: [
                    &record.call_id,
                    record.from.tag.as_deref().unwrap_or_default(),
                ],
                cseq: record.cseq.unwrap_or(0),
                method,
                sent_by,
            },
        }
    }

    /// The same key for another method (a CANCEL's INVITE).
    pub(crate) fn with_method(self, method: &'r str) -> KeyRef<'r> {
        KeyRef { method, ..self }
    }

    /// The key owned, sent-by in lower case.
    pub(crate) fn to_owned(self) -> TransactionKey {
        let [first, second] = self.ids.map(str::to_string);
        let (method, sent_by) = (self.method.to_string(), self.sent_by.to_ascii_lowercase());
        if self.rfc3261 {
            TransactionKey::Rfc3261 {
                branch: first,
                sent_by,
                method,
            }
        } else {
            TransactionKey::Rfc2543 {
                call_id: first,
                from_tag: second,
                cseq: self.cseq,
                method,
                sent_by,
            }
        }
    }

    /// Borrows an owned key.
    fn from_owned(key: &'r TransactionKey) -> KeyRef<'r> {
        match key {
            TransactionKey::Rfc3261 {
                branch,
                sent_by,
                method,
            } => KeyRef {
                rfc3261: true,
                ids: [branch, ""],
                cseq: 0,
                method,
                sent_by,
            },
            TransactionKey::Rfc2543 {
                call_id,
                from_tag,
                cseq,
                method,
                sent_by,
            } => KeyRef {
                rfc3261: false,
                ids: [call_id, from_tag],
                cseq: *cseq,
                method,
                sent_by,
            },
        }
    }

    /// Whether an owned key is this one (sent-by without case).
    fn matches(self, key: &TransactionKey) -> bool {
        let other = KeyRef::from_owned(key);
        self.rfc3261 == other.rfc3261
            && self.cseq == other.cseq
            && self.ids == other.ids
            && self.method == other.method
            && self.sent_by.eq_ignore_ascii_case(other.sent_by)
    }

    /// Hash of the key, sent-by folded to lower case (an owned key hashes the same).
    fn hash(self) -> u64 {
        let mut h = FxHasher::default();
        h.write_u8(u8::from(self.rfc3261));
        for text in [self.ids[0], self.ids[1], self.method] {
            h.write(text.as_bytes());
            h.write_u8(0xff);
        }
        h.write_u32(self.cseq);
        lowercase_into(&mut h, self.sent_by);
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
        let upper = KeyRef {
            rfc3261: true,
            ids: ["z9hG4bK1", ""],
            cseq: 0,
            method: "INVITE",
            sent_by: long,
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
        let a = KeyRef {
            rfc3261: true,
            ids: ["z9hG4bKa", ""],
            cseq: 0,
            method: "INVITE",
            sent_by: "10.0.0.1:5060",
        };
        let b = KeyRef {
            rfc3261: false,
            ids: ["c@h", "1"],
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
