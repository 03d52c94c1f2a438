//! The words and numbers every format shares: sub-scores with their raw units, and why an entry
//! ranks where it does (the ledger's main signals). Plain text; each renderer escapes it.

use super::data::ReportEntry;
use crate::store::{Measure, RunMeta};

/// Influencers named in the "why" of an entry, at most.
pub const TOP_INFLUENCERS: usize = 3;

/// A 1–100 score, one decimal.
pub fn score(x: f64) -> String {
    format!("{x:.1}")
}

/// True Reach in its raw unit.
pub fn true_reach(m: &Measure) -> String {
    format!("{:.0} engaged accounts", m.raw)
}

/// Amplification in its raw unit.
pub fn amplification(m: &Measure) -> String {
    format!("{:.1}% of posts acted on", m.raw * 100.0)
}

/// Network Impact in its raw unit.
pub fn network_impact(m: &Measure) -> String {
    format!("PageRank {}", number(m.raw))
}

/// Topic expertise.
pub fn expertise(x: f64) -> String {
    format!("{x:.3}")
}

/// Topic-sensitive Network Impact (a probability).
pub fn topical_impact(x: f64) -> String {
    number(x)
}

/// Four significant digits: plain between 0.001 and 100 000, else in scientific notation.
pub fn number(x: f64) -> String {
    let a = x.abs();
    if a == 0.0 || !a.is_finite() {
        format!("{x}")
    } else if (1e-3..1e5).contains(&a) {
        let decimals = (3 - a.log10().floor() as i32).max(0) as usize;
        format!("{x:.decimals$}")
    } else {
        format!("{x:.3e}")
    }
}

/// A score change, signed, or `n/a` without earlier data.
pub fn delta(d: Option<f64>) -> String {
    d.map_or_else(|| "n/a".into(), |x| format!("{x:+.1}"))
}

/// The three sub-scores: name, 1–100 score, raw value in its unit.
pub fn sub_scores(e: &ReportEntry) -> [(&'static str, f64, String); 3] {
    let r = &e.record;
    [
        ("True Reach", r.true_reach.score, true_reach(&r.true_reach)),
        (
            "Amplification",
            r.amplification.score,
            amplification(&r.amplification),
        ),
        (
            "Network Impact",
            r.network_impact.score,
            network_impact(&r.network_impact),
        ),
    ]
}

/// One line of an entry's "why".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    pub label: &'static str,
    pub value: String,
}

/// The ledger's main signals for an entry, in a fixed order.
pub fn signals(e: &ReportEntry) -> Vec<Signal> {
    let l = &e.record.ledger;
    let engaged = match l.followers_engaged {
        Some(f) => format!("{} ({f} of them followers)", l.engaged_accounts),
        None => l.engaged_accounts.to_string(),
    };
    let mut out = vec![
        signal("engaged accounts", engaged),
        signal(
            "posts acted on",
            format!("{} of {}", l.posts_acted_on, l.posts),
        ),
        signal("actions", actions(&l.actions_by_kind)),
        signal("top influencers", influencers(e)),
    ];
    if !l.formula.is_empty() {
        out.push(signal("score", l.formula.clone()));
    }
    out.push(signal("badges", badges(&e.badges)));
    out
}

/// `Heard 2/4 (134 distinct accounts engaged with it), …`, or `none yet`.
fn badges(b: &[super::badges::Badge]) -> String {
    if b.is_empty() {
        return "none yet".into();
    }
    b.iter()
        .map(|b| format!("{} {}/{} ({})", b.name, b.level, b.levels, b.why))
        .collect::<Vec<_>>()
        .join("; ")
}

fn signal(label: &'static str, value: String) -> Signal {
    Signal { label, value }
}

/// `share 50, reply 20` (the ledger's order), or `none`.
pub fn actions(by_kind: &[(String, u32)]) -> String {
    if by_kind.is_empty() {
        return "none".into();
    }
    let parts: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    parts.join(", ")
}

/// `bob (12 actions), carol (5 actions)`, or `none`.
pub fn influencers(e: &ReportEntry) -> String {
    let top = &e.record.influencers;
    if top.is_empty() {
        return "none".into();
    }
    let parts: Vec<String> = top
        .iter()
        .take(TOP_INFLUENCERS)
        .map(|c| format!("{} ({} actions)", c.id, c.actions))
        .collect();
    parts.join(", ")
}

/// The run in one line: as-of instant, window, sizes, calibration and ontology.
pub fn run_line(run: &RunMeta) -> String {
    let window = crate::score::window::describe(run.window);
    format!(
        "as of {} ({window}) · {} accounts · {} interactions · {} posts · calibration {} · ontology {}",
        crate::ingest::time::format_time(run.as_of),
        run.accounts,
        run.interactions,
        run.posts,
        run.calibration,
        run.ontology
    )
}

/// One line per text: newlines and other control characters become spaces.
pub fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_keep_four_significant_digits() {
        assert_eq!(number(72.9), "72.90");
        assert_eq!(number(0.27), "0.2700");
        assert_eq!(number(0.0375), "0.03750");
        assert_eq!(number(12_345.0), "12345");
        assert_eq!(number(8.85e-5), "8.850e-5");
        assert_eq!(number(2.5e6), "2.500e6");
        assert_eq!(number(-0.5), "-0.5000");
        assert_eq!(number(0.0), "0");
    }
}
