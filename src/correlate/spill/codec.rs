//! The compact encoding of what goes to a spill: integers as LEB128 varints, text as its
//! length then its bytes, and names the code holds as `&'static str` (kinds, states, codes) as
//! their number in a table the spill keeps, so that they come back as the same static text.
//!
//! The file is the process's own and is read back by the same build, so there is no version
//! nor schema: a type's encoding lists its fields in order, and a field added to a type without
//! its encoding fails to compile (the encoders take their values apart field by field).

use std::net::IpAddr;

use rustc_hash::FxHashMap as HashMap;
use smallvec::SmallVec;

use crate::capture::Timestamp;

/// The spill holds bytes this build did not write (a damaged temporary file).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the temporary file of calls is damaged (byte {at} of a record)")]
pub struct Damaged {
    /// Where in the record decoding stopped.
    pub at: usize,
}

/// The static names met while encoding, numbered in order of first use.
#[derive(Debug, Default)]
pub(super) struct Names {
    list: Vec<&'static str>,
    number: HashMap<&'static str, u32>,
}

impl Names {
    fn number(&mut self, name: &'static str) -> u32 {
        let next = u32::try_from(self.list.len()).unwrap_or(u32::MAX);
        *self.number.entry(name).or_insert_with(|| {
            self.list.push(name);
            next
        })
    }
}

/// Appends values to a record.
pub(super) struct Encoder<'a> {
    out: &'a mut Vec<u8>,
    names: &'a mut Names,
}

impl<'a> Encoder<'a> {
    /// Appends to `out`, numbering static names in `names`.
    pub(super) fn new(out: &'a mut Vec<u8>, names: &'a mut Names) -> Encoder<'a> {
        Encoder { out, names }
    }

    fn varint(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.out.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.out.push(v as u8);
    }

    fn bytes(&mut self, b: &[u8]) {
        self.varint(b.len() as u64);
        self.out.extend_from_slice(b);
    }

    /// Appends bytes that are not text (read back by [`Decoder::raw`]).
    pub(super) fn raw(&mut self, b: &[u8]) {
        self.bytes(b);
    }
}

/// Reads values back from a record.
pub(super) struct Decoder<'a> {
    bytes: &'a [u8],
    at: usize,
    names: &'a Names,
}

impl<'a> Decoder<'a> {
    /// Reads `bytes`, whose static names `names` numbered.
    pub(super) fn new(bytes: &'a [u8], names: &'a Names) -> Decoder<'a> {
        Decoder {
            bytes,
            at: 0,
            names,
        }
    }

    /// The error of a record that does not read as this build writes it.
    pub(super) fn damaged(&self) -> Damaged {
        Damaged { at: self.at }
    }

    fn byte(&mut self) -> Result<u8, Damaged> {
        let b = *self.bytes.get(self.at).ok_or(self.damaged())?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, Damaged> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.damaged())
    }

    fn bytes(&mut self) -> Result<&'a [u8], Damaged> {
        let len = usize::try_from(self.varint()?).map_err(|_| self.damaged())?;
        let end = self.at.checked_add(len).ok_or(self.damaged())?;
        let b = self.bytes.get(self.at..end).ok_or(self.damaged())?;
        self.at = end;
        Ok(b)
    }

    /// Whether every byte was read.
    pub(super) fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    /// Bytes [`Encoder::raw`] appended.
    pub(super) fn raw(&mut self) -> Result<&'a [u8], Damaged> {
        self.bytes()
    }

    /// The number of elements of a sequence, bounded by the bytes left (each takes one at
    /// least), so that a damaged length allocates nothing large.
    fn len(&mut self) -> Result<usize, Damaged> {
        let n = usize::try_from(self.varint()?).map_err(|_| self.damaged())?;
        if n > self.bytes.len().saturating_sub(self.at) {
            return Err(self.damaged());
        }
        Ok(n)
    }
}

/// A value that goes to a spill and comes back the same.
pub(super) trait Spilled: Sized {
    /// Appends the value.
    fn put(&self, e: &mut Encoder<'_>);
    /// Reads a value [`Spilled::put`] wrote.
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged>;
}

macro_rules! unsigned {
    ($($t:ty),*) => {$(
        impl Spilled for $t {
            fn put(&self, e: &mut Encoder<'_>) {
                e.varint(*self as u64);
            }
            fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
                let v = d.varint()?;
                <$t>::try_from(v).map_err(|_| d.damaged())
            }
        }
    )*};
}
unsigned!(u8, u16, u32, u64, usize);

impl Spilled for i64 {
    fn put(&self, e: &mut Encoder<'_>) {
        // Zigzag: small negative numbers stay short.
        e.varint(((self << 1) ^ (self >> 63)) as u64);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let v = d.varint()?;
        Ok(((v >> 1) as i64) ^ -((v & 1) as i64))
    }
}

impl Spilled for bool {
    fn put(&self, e: &mut Encoder<'_>) {
        e.out.push(u8::from(*self));
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        match d.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => Err(d.damaged()),
        }
    }
}

impl Spilled for String {
    fn put(&self, e: &mut Encoder<'_>) {
        e.bytes(self.as_bytes());
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let b = d.bytes()?;
        String::from_utf8(b.to_vec()).map_err(|_| d.damaged())
    }
}

impl Spilled for &'static str {
    fn put(&self, e: &mut Encoder<'_>) {
        let n = e.names.number(self);
        e.varint(u64::from(n));
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let n = usize::try_from(d.varint()?).map_err(|_| d.damaged())?;
        d.names.list.get(n).copied().ok_or(d.damaged())
    }
}

impl Spilled for Timestamp {
    fn put(&self, e: &mut Encoder<'_>) {
        self.0.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(Timestamp(i64::take(d)?))
    }
}

impl Spilled for IpAddr {
    fn put(&self, e: &mut Encoder<'_>) {
        match self {
            IpAddr::V4(a) => e.bytes(&a.octets()),
            IpAddr::V6(a) => e.bytes(&a.octets()),
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let b = d.bytes()?;
        if let Ok(v4) = <[u8; 4]>::try_from(b) {
            return Ok(IpAddr::from(v4));
        }
        <[u8; 16]>::try_from(b)
            .map(IpAddr::from)
            .map_err(|_| d.damaged())
    }
}

impl Spilled for compact_str::CompactString {
    fn put(&self, e: &mut Encoder<'_>) {
        e.bytes(self.as_bytes());
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let b = d.bytes()?;
        std::str::from_utf8(b)
            .map(compact_str::CompactString::from)
            .map_err(|_| d.damaged())
    }
}

impl Spilled for std::net::SocketAddr {
    fn put(&self, e: &mut Encoder<'_>) {
        self.ip().put(e);
        self.port().put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(std::net::SocketAddr::new(IpAddr::take(d)?, u16::take(d)?))
    }
}

impl<T: Spilled> Spilled for Option<T> {
    fn put(&self, e: &mut Encoder<'_>) {
        self.is_some().put(e);
        if let Some(v) = self {
            v.put(e);
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok(if bool::take(d)? {
            Some(T::take(d)?)
        } else {
            None
        })
    }
}

impl<A: Spilled, B: Spilled> Spilled for (A, B) {
    fn put(&self, e: &mut Encoder<'_>) {
        self.0.put(e);
        self.1.put(e);
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        Ok((A::take(d)?, B::take(d)?))
    }
}

impl<T: Spilled> Spilled for Vec<T> {
    fn put(&self, e: &mut Encoder<'_>) {
        e.varint(self.len() as u64);
        for v in self {
            v.put(e);
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let n = d.len()?;
        (0..n).map(|_| T::take(d)).collect()
    }
}

impl<A: smallvec::Array> Spilled for SmallVec<A>
where
    A::Item: Spilled,
{
    fn put(&self, e: &mut Encoder<'_>) {
        e.varint(self.len() as u64);
        for v in self {
            v.put(e);
        }
    }
    fn take(d: &mut Decoder<'_>) -> Result<Self, Damaged> {
        let n = d.len()?;
        (0..n).map(|_| A::Item::take(d)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T: Spilled + PartialEq + std::fmt::Debug>(v: T) {
        let (mut out, mut names) = (Vec::new(), Names::default());
        v.put(&mut Encoder::new(&mut out, &mut names));
        let mut d = Decoder::new(&out, &names);
        assert_eq!(T::take(&mut d), Ok(v));
        assert_eq!(d.at, out.len());
    }

    #[test]
    fn values_come_back() {
        round_trip(0u64);
        round_trip(u64::MAX);
        round_trip(i64::MIN);
        round_trip(-1i64);
        round_trip(Some(300u16));
        round_trip(None::<u32>);
        round_trip(String::from("sip:alice@example.com"));
        round_trip(vec![
            ("busy", String::from("486")),
            ("no-answer", String::new()),
        ]);
        round_trip(IpAddr::from([192, 0, 2, 1]));
        round_trip(IpAddr::from([
            0x20, 1, 0xd, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1,
        ]));
    }

    #[test]
    fn damaged_bytes_are_an_error() {
        let names = Names::default();
        for bytes in [&[][..], &[0x80], &[5, b'a'], &[0xff; 11], &[200, 1]] {
            assert!(String::take(&mut Decoder::new(bytes, &names)).is_err());
            assert!(Vec::<u64>::take(&mut Decoder::new(bytes, &names)).is_err());
        }
        assert!(<&'static str>::take(&mut Decoder::new(&[0], &names)).is_err());
    }
}
