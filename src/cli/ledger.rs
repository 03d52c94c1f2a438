//! Renders an explanation ledger (`clout explain`) as text: each sub-score with the signals and
//! intermediate values behind it, then the combination, so the score can be checked by hand.

use std::io::Write;

use anyhow::Result;

use super::Output;
use crate::report::safe::terminal;
use crate::score::coordination::signal_names;
use crate::score::explain::{Counterpart, Ledger};
use crate::score::Calibration;

/// Writes the ledger as text.
pub fn write(out: &mut Output, l: &Ledger) -> Result<()> {
    let w = l.window;
    writeln!(
        out,
        "account {}  score {:.2}  percentile {:.2}  (calibration {})",
        terminal(&l.id),
        l.score,
        l.percentile,
        l.calibration
    )?;
    writeln!(
        out,
        "window: ({}, {}]{}",
        w.start().map_or("-inf".into(), |s| s.to_string()),
        w.as_of,
        w.length.map_or(String::new(), |len| format!(
            " = {} days",
            len as f64 / 86_400.0
        ))
    )?;
    reach(out, l)?;
    amplification(out, l)?;
    impact(out, l)?;
    combination(out, l)?;
    people(
        out,
        "top amplifiers (who contributes to this account)",
        &l.top_amplifiers,
    )?;
    people(
        out,
        "amplifies most (whom this account contributes to)",
        &l.amplifies,
    )?;
    Ok(())
}

fn reach(out: &mut Output, l: &Ledger) -> Result<()> {
    let cal = calibration(l);
    let r = &l.true_reach;
    writeln!(
        out,
        "\nTrue Reach: {} engaged accounts  → sub-score {:.2}",
        r.engaged, l.sub_scores[0]
    )?;
    if let Some(f) = r.followers_engaged {
        writeln!(out, "  of them followers: {f}")?;
    }
    let kinds: Vec<String> = l
        .actions_received
        .iter()
        .map(|(k, c)| format!("{k} {c}"))
        .collect();
    writeln!(
        out,
        "  actions received: {}  (made on others: {})",
        kinds.join(", "),
        l.actions_made
    )?;
    let hollow = if cal.quiet_hollow {
        "nobody engages them"
    } else {
        "suspect of coordination, or engaged only inside rings"
    };
    writeln!(
        out,
        "  reciprocal (kept {}): {}   hollow ({hollow}; weigh {}): {}",
        cal.reciprocal_discount, r.reciprocal, cal.hollow_weight, r.hollow
    )?;
    if let Some(c) = &l.coordinated {
        let names = signal_names(c.signals);
        writeln!(
            out,
            "  coordinated audience: {} of {} engagers flagged ({}); they are suspect",
            c.flagged,
            c.engagers,
            names.join(", ")
        )?;
    }
    if l.suspect {
        writeln!(
            out,
            "  this account is suspect: it engaged a coordinated target as a flagged engager"
        )?;
    }
    if l.closed_cluster > 0 {
        writeln!(
            out,
            "  closed cluster: one of {} accounts engaging one another in cycles with fewer than {} outside engagers per member; {} engagers inside it (kept {})",
            l.closed_cluster, cal.ring_outside, r.closed, cal.reciprocal_discount
        )?;
    }
    if r.flood_scale < 1.0 {
        writeln!(
            out,
            "  flood cap: hollow engagers beyond {} × (1 + real engagers) are scaled ×{:.4}",
            cal.hollow_ratio, r.flood_scale
        )?;
    }
    if cal.recency_fraction > 0.0 {
        writeln!(
            out,
            "  recency ρ(r) = {} + {}·2^(−age/h), h = {:.4} of the window's observed span",
            cal.recency_floor,
            1.0 - cal.recency_floor,
            cal.recency_fraction
        )?;
        writeln!(
            out,
            "  weighted reach U = Σ w(r)·f(r)·ρ(r) = {:.4}",
            r.weighted
        )?;
    } else {
        writeln!(out, "  weighted reach U = Σ w(r)·f(r) = {:.4}", r.weighted)?;
    }
    writeln!(
        out,
        "  L_reach = ln(1 + U/{}) = {:.4}",
        cal.reach_v0, l.combination.l_reach
    )?;
    if let (Some(v), Some(lr)) = (r.volume, l.combination.l_repeat) {
        writeln!(
            out,
            "  engagement volume V = Σ over actions w(r)·f(r)·ρ(action) = {v:.4};  \
             L_repeat = ln(1 + V/U) = {lr:.4}"
        )?;
    }
    Ok(())
}

fn amplification(out: &mut Output, l: &Ledger) -> Result<()> {
    let cal = calibration(l);
    let a = &l.amplification;
    writeln!(
        out,
        "\nAmplification: {:.4} engaged accounts per post  → sub-score {:.2}",
        a.value, l.sub_scores[1]
    )?;
    writeln!(
        out,
        "  posts {} ({:?}; weighted P_w = {:.4})  acted on: {} (weighted A = {:.4})",
        a.posts, l.post_source, a.posts_weighted, a.posts_acted_on, a.acted_on_weighted
    )?;
    writeln!(
        out,
        "  p = (A + {})/(P_w + {} + {}) = {:.4}",
        cal.prior_alpha, cal.prior_alpha, cal.prior_beta, a.probability
    )?;
    writeln!(
        out,
        "  breadth = U/(A + {}) = {:.4};  value = p · breadth",
        cal.breadth_prior_posts, a.breadth
    )?;
    writeln!(
        out,
        "  L_amp = ln(1 + value/{}) = {:.4}",
        cal.amp_v0, l.combination.l_amp
    )?;
    if let Some(r) = &l.reported {
        writeln!(
            out,
            "  reported by the platform as counts on {} posts: {} likes, {} shares, {} replies \
             (weaker evidence: no engager is named, so these are shown, not scored)",
            r.posts, r.counts.likes, r.counts.shares, r.counts.replies
        )?;
    }
    Ok(())
}

fn impact(out: &mut Output, l: &Ledger) -> Result<()> {
    let cal = calibration(l);
    let i = &l.network_impact;
    writeln!(
        out,
        "\nNetwork Impact: PageRank {:.6e} over the {:?} graph  → sub-score {:.2}",
        i.pagerank, i.graph, l.sub_scores[2]
    )?;
    writeln!(
        out,
        "  PR·Σt = {:.2} × {:.6e} = {:.4}  (own teleport share {:.2}, own reactor weight {:.4})",
        i.effective_accounts, i.pagerank, i.scaled, i.teleport_share, i.reactor_weight
    )?;
    writeln!(
        out,
        "  L_impact = ln(1 + PR·Σt/{}) = {:.4}",
        cal.impact_v0, l.combination.l_impact
    )?;
    Ok(())
}

fn combination(out: &mut Output, l: &Ledger) -> Result<()> {
    let cal = calibration(l);
    writeln!(out, "\nScore:")?;
    if let (Some(fo), Some(fi)) = (l.following, l.followers) {
        writeln!(
            out,
            "  following {fo}, followers {fi}: follow-ratio multiplier m = {:.4}",
            l.combination.penalty
        )?;
    }
    writeln!(out, "  {}", l.formula)?;
    writeln!(
        out,
        "  sub-scores use the same curve on their own L: 1 + 99·L/(L + {})",
        cal.curve_c
    )?;
    Ok(())
}

fn people(out: &mut Output, title: &str, rows: &[Counterpart]) -> Result<()> {
    writeln!(out, "\n{title}:")?;
    if rows.is_empty() {
        writeln!(out, "  (none)")?;
    }
    for c in rows {
        writeln!(
            out,
            "  {:<20} actions {:>4}  weight {:.4}  adds {:.4}{}{}{}",
            terminal(&c.id),
            c.actions,
            c.weight,
            c.contribution,
            if c.reciprocal { "  reciprocal" } else { "" },
            if c.closed { "  closed cluster" } else { "" },
            if c.hollow { "  hollow" } else { "" }
        )?;
    }
    Ok(())
}

/// The calibration a ledger was computed with.
fn calibration(l: &Ledger) -> &'static Calibration {
    Calibration::by_version(l.calibration).expect("a ledger names a known calibration")
}
