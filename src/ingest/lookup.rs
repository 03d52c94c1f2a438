//! How a name a person types is matched to an account id or handle, the same rule in the CLI,
//! the API, the Python package and reports: the id exactly as written first; else the one id
//! equal to it ignoring case (Unicode lower case); several such ids are ambiguous and the
//! answer names them instead of picking one.

/// The most ids an ambiguous match lists.
pub const MAX_LISTED: usize = 5;

/// What a name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IdMatch<T> {
    /// The id as written.
    Exact(T),
    /// The only id equal to the name ignoring case.
    Folded(T),
    /// Several ids equal to the name ignoring case, none exactly (sorted, at most
    /// [`MAX_LISTED`]), and how many there are.
    Ambiguous { ids: Vec<String>, count: usize },
    /// No id, even ignoring case.
    Missing,
}

impl<T> IdMatch<T> {
    /// The match, if there is exactly one.
    pub fn found(self) -> Option<T> {
        match self {
            IdMatch::Exact(t) | IdMatch::Folded(t) => Some(t),
            _ => None,
        }
    }

    /// The value mapped, the kind of match kept.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> IdMatch<U> {
        match self {
            IdMatch::Exact(t) => IdMatch::Exact(f(t)),
            IdMatch::Folded(t) => IdMatch::Folded(f(t)),
            IdMatch::Ambiguous { ids, count } => IdMatch::Ambiguous { ids, count },
            IdMatch::Missing => IdMatch::Missing,
        }
    }

    /// Why `name` found nothing (for an error message; `None` when it found one):
    /// `no account "x"` or `"ada" matches 2 accounts that differ only in case: Ada, ADA; give
    /// one exactly`. `what` names the thing looked for (`account`, `handle`).
    pub fn failure(&self, name: &str, what: &str) -> Option<String> {
        match self {
            IdMatch::Exact(_) | IdMatch::Folded(_) => None,
            IdMatch::Missing => Some(format!("no {what} {name:?}")),
            IdMatch::Ambiguous { ids, count } => Some(format!(
                "{name:?} matches {count} {what}s that differ only in case: {}{}; give one exactly",
                ids.join(", "),
                if *count > ids.len() { ", …" } else { "" }
            )),
        }
    }
}

/// The case-insensitive key of a name.
pub fn fold(name: &str) -> String {
    name.to_lowercase()
}

/// Matches `name`: `exact` is the result of an exact look-up; `candidates` (id, value) are
/// only walked when it found nothing, for the ids equal to `name` ignoring case.
pub fn match_name<'a, T>(
    name: &str,
    exact: Option<T>,
    candidates: impl IntoIterator<Item = (&'a str, T)>,
) -> IdMatch<T> {
    if let Some(t) = exact {
        return IdMatch::Exact(t);
    }
    let key = fold(name);
    let mut hits: Vec<(&str, T)> = candidates
        .into_iter()
        .filter(|(id, _)| same_folded(id, &key))
        .collect();
    match hits.len() {
        0 => IdMatch::Missing,
        1 => IdMatch::Folded(hits.pop().expect("one").1),
        count => {
            let mut ids: Vec<String> = hits.into_iter().map(|h| h.0.to_owned()).collect();
            ids.sort_unstable();
            ids.dedup();
            ids.truncate(MAX_LISTED);
            IdMatch::Ambiguous { ids, count }
        }
    }
}

/// Whether `id` folds to `key`, without allocating for the common ASCII case.
fn same_folded(id: &str, key: &str) -> bool {
    if id.is_ascii() && key.is_ascii() {
        id.eq_ignore_ascii_case(key)
    } else {
        fold(id) == key
    }
}

/// Klout's short network codes and the network names they stand for.
pub const NETWORK_ALIASES: &[(&str, &str)] = &[
    ("tw", "twitter"),
    ("fb", "facebook"),
    ("ig", "instagram"),
    ("li", "linkedin"),
    ("yt", "youtube"),
    ("gp", "googleplus"),
];

/// The network of `networks` that `raw` names: one equal to it ignoring ASCII case, or the
/// network a Klout code stands for (`tw` → `twitter`).
pub fn match_network<'a>(
    raw: &str,
    networks: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = raw.to_ascii_lowercase();
    let wanted = NETWORK_ALIASES
        .iter()
        .find(|(code, _)| *code == lower)
        .map_or(lower.as_str(), |(_, name)| name);
    networks
        .into_iter()
        .find(|n| n.eq_ignore_ascii_case(wanted))
}

/// What to say when a network name matched none of `networks`: the run's networks and the
/// Klout codes.
pub fn networks_hint<'a>(networks: impl IntoIterator<Item = &'a str>) -> String {
    let known: Vec<&str> = networks.into_iter().collect();
    let codes: Vec<String> = NETWORK_ALIASES
        .iter()
        .map(|(c, n)| format!("{c} = {n}"))
        .collect();
    format!(
        "this run has: {} (Klout codes: {})",
        known.join(", "),
        codes.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn find(name: &str, ids: &[&'static str]) -> IdMatch<usize> {
        let exact = ids.iter().position(|&x| x == name);
        match_name(name, exact, ids.iter().enumerate().map(|(i, &x)| (x, i)))
    }

    #[test]
    fn exact_first_then_case_insensitive_when_unambiguous() {
        let ids = ["Ada", "ADA", "bob", "Émile"];
        assert_eq!(
            find("ADA", &ids),
            IdMatch::Exact(1),
            "exact wins over folded"
        );
        assert_eq!(find("BOB", &ids), IdMatch::Folded(2));
        assert_eq!(find("émile", &ids), IdMatch::Folded(3), "Unicode case");
        assert_eq!(find("zed", &ids), IdMatch::Missing);
        let amb = find("ada", &ids);
        assert_eq!(
            amb,
            IdMatch::Ambiguous {
                ids: vec!["ADA".into(), "Ada".into()],
                count: 2
            }
        );
        let why = amb.failure("ada", "account").unwrap();
        assert!(why.contains("ADA, Ada") && why.contains("exactly"), "{why}");
        assert_eq!(
            find("zed", &ids).failure("zed", "account").unwrap(),
            "no account \"zed\""
        );
        assert_eq!(find("bob", &ids).failure("bob", "account"), None);
    }

    #[test]
    fn networks_by_name_or_klout_code() {
        let nets = ["instagram", "twitter", "bsky"];
        assert_eq!(match_network("Twitter", nets), Some("twitter"));
        assert_eq!(match_network("tw", nets), Some("twitter"));
        assert_eq!(match_network("IG", nets), Some("instagram"));
        assert_eq!(match_network("BSKY", nets), Some("bsky"));
        assert_eq!(match_network("fb", nets), None);
        assert_eq!(match_network("", nets), None);
        assert!(networks_hint(nets).contains("instagram, twitter, bsky"));
    }
}
