//! "Did you mean" suggestions over topic names: how close a name is to what was asked
//! ([`Closeness`]: the exact name, then a name that starts with the query, then one holding
//! every word of the query, then edit distance), and the closest few of many candidates.
//! Which names a candidate is known by is left to the caller (slugs, display names, keywords).

use rustc_hash::FxHashMap;

use super::normalize_key;

/// How close a name is to a query, best (smallest) first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Closeness {
    /// The same name.
    Exact,
    /// The name starts with the query (`sports` → "sports and recreation"); shorter first.
    Prefix(usize),
    /// Every word of the query is a word of the name (`clinton` → "hillary clinton").
    Words(usize),
    /// Neither: the edit distance.
    Distance(usize),
}

/// How close `name` is to `query`, both normalised keys (see `normalize_key`).
pub fn closeness(query: &str, name: &str) -> Closeness {
    if name == query {
        Closeness::Exact
    } else if !query.is_empty() && name.starts_with(query) {
        Closeness::Prefix(name.len())
    } else if !query.is_empty() && query.split(' ').all(|q| name.split(' ').any(|w| w == q)) {
        Closeness::Words(name.len())
    } else {
        Closeness::Distance(edit_distance(query, name))
    }
}

/// Up to `k` items closest to `query` by the closest of their names (an item may come with
/// several names, in `(item, name)` pairs; names are normalised here), ties by item order.
/// A name matched only by edit distance counts when it is a likely typo: at most
/// `max(1, query chars / 3)` edits (so `hillary` suggests nothing rather than `Visual Arts`).
pub fn closest_items<'a, T: Copy + Ord + std::hash::Hash>(
    query: &str,
    names: impl IntoIterator<Item = (T, &'a str)>,
    k: usize,
) -> Vec<T> {
    let q = normalize_key(query);
    let typos = (q.chars().count() / 3).max(1);
    let mut best: FxHashMap<T, Closeness> = FxHashMap::default();
    for (item, name) in names {
        let c = closeness(&q, &normalize_key(name));
        if matches!(c, Closeness::Distance(d) if d > typos) {
            continue;
        }
        best.entry(item)
            .and_modify(|b| *b = (*b).min(c))
            .or_insert(c);
    }
    let mut v: Vec<(Closeness, T)> = best.into_iter().map(|(i, c)| (c, i)).collect();
    v.sort_unstable();
    v.into_iter().take(k).map(|(_, i)| i).collect()
}

/// The end of an "unknown topic" message: `; closest: a, b`, or `; no topic has a similar
/// name` when there is none.
pub fn suggestion(names: &[String]) -> String {
    if names.is_empty() {
        "; no topic has a similar name".to_owned()
    } else {
        format!("; closest: {}", names.join(", "))
    }
}

/// Levenshtein distance between `a` and `b`, counted in chars.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("café", "cafe"), 1);
        assert_eq!(edit_distance("same", "same"), 0);
    }

    #[test]
    fn exact_then_prefix_then_words_then_distance() {
        let names = [
            (0, "Pets"),
            (1, "Birds"),
            (2, "Sports and Recreation"),
            (3, "Winter Sports"),
            (4, "sport"),
            (5, "Sports"),
        ];
        assert_eq!(closest_items("sports", names, 4), [5, 2, 3, 4]);
        // Far names are no suggestion: "Pets" is three edits from "sports".
        assert!(closest_items("sports", [(0, "Pets"), (1, "Birds")], 2).is_empty());
        assert_eq!(suggestion(&[]), "; no topic has a similar name");
        assert_eq!(
            closest_items("SPORTS", names[..4].iter().copied(), 2),
            [2, 3]
        );
        let people = [(0, "Visual Arts"), (1, "hilary"), (2, "Hillary Clinton")];
        assert_eq!(closest_items("hillary", people, 3), [2, 1]);
        assert_eq!(closest_items("clinton", people, 1), [2]);
        // An item with several names counts by its closest one.
        assert_eq!(
            closest_items("recreation", [(0, "x"), (1, "y"), (0, "recreation")], 1),
            [0]
        );
    }
}
