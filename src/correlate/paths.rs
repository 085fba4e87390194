//! The last message on each (sender, receiver) path, to tie an ICMP error to the message it
//! refuses: the error quotes the datagram's addresses and comes within moments.
//!
//! Paths are remembered by a 64-bit hash of the two addresses (a collision could only tie an
//! error to a message of another path, and the quoted Call-ID is checked against it), in two
//! generations: when the current one is full it becomes the previous one, so the latest
//! paths are always there and memory stays under twice the cap, however many hosts a
//! scanner's flood brings.

use std::hash::{Hash, Hasher};
use std::net::SocketAddr;

use rustc_hash::{FxHashMap as HashMap, FxHasher};

/// (index of the message, its leg) by path.
#[derive(Default)]
pub(super) struct LastOnPath {
    current: HashMap<u64, (usize, usize)>,
    previous: HashMap<u64, (usize, usize)>,
    /// Times the previous generation was forgotten.
    pub(super) rotations: u64,
}

fn key(src: SocketAddr, dst: SocketAddr) -> u64 {
    let mut h = FxHasher::default();
    (src, dst).hash(&mut h);
    h.finish()
}

impl LastOnPath {
    /// Notes message `index` of leg `leg` on the path; `cap` paths per generation.
    pub(super) fn note(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        index: usize,
        leg: usize,
        cap: usize,
    ) {
        let k = key(src, dst);
        if !self.current.contains_key(&k) && self.current.len() >= cap.max(1) {
            self.previous = std::mem::take(&mut self.current);
            self.rotations += 1;
        }
        self.current.insert(k, (index, leg));
    }

    /// The last message on the path, with its leg.
    pub(super) fn get(&self, src: SocketAddr, dst: SocketAddr) -> Option<(usize, usize)> {
        let k = key(src, dst);
        self.current
            .get(&k)
            .or_else(|| self.previous.get(&k))
            .copied()
    }

    /// Paths remembered.
    pub(super) fn len(&self) -> usize {
        self.current.len() + self.previous.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_latest_paths_survive_a_rotation() {
        let mut paths = LastOnPath::default();
        let addr = |n: u16| SocketAddr::from(([192, 0, 2, 1], n));
        for n in 0..10u16 {
            paths.note(addr(n), addr(5060), usize::from(n), 0, 4);
        }
        assert_eq!(paths.rotations, 2);
        assert!(paths.len() <= 8);
        assert_eq!(paths.get(addr(9), addr(5060)), Some((9, 0)));
        assert_eq!(paths.get(addr(7), addr(5060)), Some((7, 0)));
        assert_eq!(paths.get(addr(0), addr(5060)), None);
    }
}
