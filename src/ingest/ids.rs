//! External account ids → dense `u32` node ids, and back. Ids are interned once at ingest, so
//! that the same file always gives the same numbering, whatever the thread count.
//!
//! Two representations: when every id is a canonical unsigned decimal (`0` or no leading zero,
//! at most `u64::MAX`) the ids are kept as `u64` and numbered in ascending order (see
//! `ingest::numeric`); any other id (handles, negative fingerprints, zero-padded numbers) makes
//! the whole map textual, numbered in order of first appearance.

use rustc_hash::FxHashMap;
use std::fmt;

/// A dense node id inside the engine.
pub type Node = u32;

/// The largest number of nodes the engine holds (ids are `u32`, `u32::MAX` is reserved).
pub const MAX_NODES: u64 = u32::MAX as u64 - 1;

/// Dense id → external id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdMap {
    /// Every external id was a canonical unsigned decimal.
    Numeric(Vec<u64>),
    /// External ids as written in the input.
    Text(Vec<Box<str>>),
}

impl IdMap {
    /// Number of nodes.
    pub fn len(&self) -> usize {
        match self {
            IdMap::Numeric(v) => v.len(),
            IdMap::Text(v) => v.len(),
        }
    }

    /// The numbers `0..n` as ids: a node space whose names do not matter (a graph built over
    /// nodes numbered elsewhere).
    pub fn dense(n: usize) -> IdMap {
        IdMap::Numeric((0..n as u64).collect())
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The external id of dense node `n`, displayable without allocating.
    pub fn name(&self, n: Node) -> ExternalId<'_> {
        match self {
            IdMap::Numeric(v) => ExternalId::Num(v[n as usize]),
            IdMap::Text(v) => ExternalId::Text(&v[n as usize]),
        }
    }

    /// Finds the dense id of an external id (a linear scan; for the occasional look-up by name).
    pub fn find(&self, external: &str) -> Option<Node> {
        match self {
            IdMap::Numeric(v) => {
                let x = parse_canonical_u64(external.as_bytes())?;
                v.iter().position(|&y| y == x).map(|i| i as Node)
            }
            IdMap::Text(v) => v.iter().position(|y| &**y == external).map(|i| i as Node),
        }
    }

    /// The node a person means by `name`, by the rule of [`super::lookup`]: exact first, then
    /// case-insensitive when unambiguous (a linear scan on a miss).
    pub fn resolve(&self, name: &str) -> super::lookup::IdMatch<Node> {
        let exact = self.find(name);
        let texts = match self {
            IdMap::Text(v) if exact.is_none() => v.as_slice(),
            _ => &[],
        };
        let candidates = texts.iter().enumerate().map(|(i, x)| (&**x, i as Node));
        super::lookup::match_name(name, exact, candidates)
    }

    /// A hash index for many look-ups by external id.
    pub fn index(&self) -> IdIndex {
        match self {
            IdMap::Numeric(v) => {
                IdIndex::Numeric(v.iter().enumerate().map(|(i, &x)| (x, i as Node)).collect())
            }
            IdMap::Text(v) => IdIndex::Text(
                v.iter()
                    .enumerate()
                    .map(|(i, x)| (x.clone(), i as Node))
                    .collect(),
            ),
        }
    }

    /// Compares two nodes by external id: numerically for numeric maps, bytewise for text.
    pub fn cmp_names(&self, a: Node, b: Node) -> std::cmp::Ordering {
        match self {
            IdMap::Numeric(v) => v[a as usize].cmp(&v[b as usize]),
            IdMap::Text(v) => v[a as usize].cmp(&v[b as usize]),
        }
    }
}

/// External id → dense id, for many look-ups (see [`IdMap::index`]).
pub enum IdIndex {
    Numeric(FxHashMap<u64, Node>),
    Text(FxHashMap<Box<str>, Node>),
}

impl IdIndex {
    /// The node of an external id, if it is one.
    pub fn get(&self, external: &str) -> Option<Node> {
        match self {
            IdIndex::Numeric(m) => m.get(&parse_canonical_u64(external.as_bytes())?).copied(),
            IdIndex::Text(m) => m.get(external).copied(),
        }
    }
}

/// A borrowed external id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalId<'a> {
    Num(u64),
    Text(&'a str),
}

impl fmt::Display for ExternalId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExternalId::Num(x) => write!(f, "{x}"),
            ExternalId::Text(s) => f.write_str(s),
        }
    }
}

/// Parses a canonical unsigned decimal: `0`, or digits without a leading zero, ≤ `u64::MAX`.
#[inline]
pub fn parse_canonical_u64(tok: &[u8]) -> Option<u64> {
    if tok.is_empty() || tok.len() > 20 || (tok[0] == b'0' && tok.len() > 1) {
        return None;
    }
    let mut x: u64 = 0;
    for &c in tok {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        x = x.checked_mul(10)?.checked_add(d as u64)?;
    }
    Some(x)
}

/// Interns textual ids in order of first appearance.
#[derive(Default)]
pub struct TextInterner {
    index: FxHashMap<Box<str>, u32>,
    ids: Vec<Box<str>>,
}

impl TextInterner {
    /// The node of `s`, assigning the next one on first sight. `None` when the node space is full.
    pub fn intern(&mut self, s: &str) -> Option<Node> {
        if let Some(&n) = self.index.get(s) {
            return Some(n);
        }
        let next = self.ids.len() as u64;
        if next >= MAX_NODES {
            return None;
        }
        self.index.insert(s.into(), next as u32);
        self.ids.push(s.into());
        Some(next as u32)
    }

    /// The node of `s` if it was seen.
    pub fn get(&self, s: &str) -> Option<Node> {
        self.index.get(s).copied()
    }

    /// The ids interned so far, in order.
    pub fn names(&self) -> &[Box<str>] {
        &self.ids
    }

    /// Number of ids interned so far.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// Whether nothing was interned.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The finished map.
    pub fn finish(self) -> IdMap {
        IdMap::Text(self.ids)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_decimals_only() {
        assert_eq!(parse_canonical_u64(b"0"), Some(0));
        assert_eq!(parse_canonical_u64(b"18446744073709551615"), Some(u64::MAX));
        assert_eq!(parse_canonical_u64(b"18446744073709551616"), None);
        assert_eq!(parse_canonical_u64(b"007"), None);
        assert_eq!(parse_canonical_u64(b"-5"), None);
        assert_eq!(parse_canonical_u64(b"12a"), None);
        assert_eq!(parse_canonical_u64(b""), None);
    }

    #[test]
    fn text_ids_in_first_appearance_order() {
        let mut t = TextInterner::default();
        assert_eq!(t.intern("@bob"), Some(0));
        assert_eq!(t.intern("-42"), Some(1));
        assert_eq!(t.intern("@bob"), Some(0));
        let map = t.finish();
        assert_eq!(map.name(1).to_string(), "-42");
        assert_eq!(map.find("-42"), Some(1));
    }
}
