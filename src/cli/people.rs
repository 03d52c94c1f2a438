//! `clout score` over several networks or with `--identities`: one row per person with the
//! combined score and the score on each network (see `crate::score::networks`).

use std::io::Write;

use std::path::Path;

use anyhow::{Context, Result};
use serde_json::json;

use super::output::Format;
use super::score::{note_post_source, ExplainArgs, ReadInputs, ScoreArgs, Scored};
use super::Output;
use crate::export::scores::{network_columns, people_table};
use crate::ingest::Source;
use crate::report::safe::{csv_cell, terminal};
use crate::score::amplification::PostSource;
use crate::score::combine::percentiles;
use crate::score::explain;
use crate::score::history::Delta;
use crate::score::networks::{
    people_at, person_deltas, person_ledger, score_networks, Identities, PersonLedger, PersonScore,
};

pub fn run(args: &ScoreArgs, run: &ReadInputs) -> Result<()> {
    let ids = &run.inter.accounts;
    let identities = match &args.identities {
        Some(path) => Identities::parse(&Source::open(path)?, ids)?,
        None => Identities::singletons(ids),
    };
    let params = &run.params;
    let (ns, people) = people_at(&run.inputs(), params, &identities)?;
    if let Some(s) = ns
        .scores
        .iter()
        .find(|s| s.post_source != PostSource::PostIds)
    {
        note_post_source(s.post_source);
    }
    let deltas = if args.no_delta {
        None
    } else {
        Some(person_deltas(&run.inputs(), params, &identities, &people)?)
    };
    let pct = percentiles(&people.iter().map(|p| p.score).collect::<Vec<_>>());
    let format = args.listing.format();
    let text = format == Format::Text;
    let k = args
        .listing
        .top()
        .map_or(people.len(), |t| t.min(people.len()));
    let cal = run.params.calibration;
    if format == Format::Parquet {
        let d = deltas.as_deref();
        let table = || people_table(&people, &pct, &ns.names, &cal, d, k);
        return args.listing.emit(table, |_, _| Ok(()));
    }
    let mut out = args.listing.output()?;
    if text {
        writeln!(
            out,
            "# {} people on {} networks: {}",
            people.len(),
            ns.names.len(),
            ns.names.join(", ")
        )?;
    } else if format == Format::Csv {
        writeln!(
            out,
            "id,score,percentile,{},delta_day,delta_week,delta_month",
            network_columns(&ns.names).join(",")
        )?;
    }
    for (i, (p, pc)) in people.iter().zip(&pct).enumerate().take(k) {
        let per: Vec<f64> = p.network_strengths.iter().map(|&l| cal.points(l)).collect();
        let delta = deltas.as_ref().map(|d| d[i]);
        if format == Format::Json {
            write_json(&mut out, p, *pc, &ns.names, &per, delta)?;
        } else if format == Format::Csv {
            let cols: Vec<String> = per.iter().map(|x| format!("{:.2}", x)).collect();
            let cell = |x: Option<f64>| x.map_or(String::new(), |x| format!("{x:.2}"));
            let d = delta.map_or(",,".into(), |d| {
                format!("{},{},{}", cell(d.day), cell(d.week), cell(d.month))
            });
            writeln!(
                out,
                "{},{:.2},{:.2},{},{d}",
                csv_field(&p.id),
                p.score,
                pc,
                cols.join(",")
            )?;
        } else {
            let cols: Vec<String> = ns
                .names
                .iter()
                .zip(&per)
                .map(|(n, x)| format!("{n} {x:.1}"))
                .collect();
            let show = |x: Option<f64>| x.map_or("-".into(), |x| format!("{x:+.1}"));
            let d = delta.map_or(String::new(), |d| {
                format!("  Δ {} {} {}", show(d.day), show(d.week), show(d.month))
            });
            writeln!(
                out,
                "{:<24} {:>6.2} {:>6.2}  {}{d}",
                terminal(&p.id),
                p.score,
                pc,
                cols.join("  ")
            )?;
        }
    }
    out.finish()
}

/// `clout explain PERSON --identities FILE`: the person's combination, then the ledger of each
/// of its accounts on each network where it is active.
pub fn explain(args: &ExplainArgs, identities: &Path, run: &Scored) -> Result<()> {
    let ids = &run.inter.accounts;
    let id = Identities::parse(&Source::open(identities)?, ids)?;
    let params = &run.scores.params;
    let ns = score_networks(&run.inputs(), params)?;
    let m = id.resolve(&args.account);
    if let crate::ingest::lookup::IdMatch::Ambiguous { .. } = m {
        anyhow::bail!("{}", m.failure(&args.account, "person").unwrap_or_default());
    }
    let pl = person_ledger(&ns, &id, ids, &args.account).with_context(|| {
        format!(
            "`{}` is neither a person of {} nor an account of {}",
            args.account,
            identities.display(),
            args.input.files.interactions.display()
        )
    })?;
    let mut ledgers = Vec::new();
    for a in &pl.accounts {
        let n = ns
            .names
            .iter()
            .position(|x| *x == a.network)
            .expect("a listed network");
        let v = ids.find(&a.account).expect("a listed account");
        ledgers.push(explain::ledger(
            &ns.scores[n],
            ids,
            run.follows.as_ref(),
            v,
            args.top,
        ));
    }
    let mut out = Output::create(args.out.as_deref())?;
    if args.json {
        let accounts: Vec<serde_json::Value> = pl
            .accounts
            .iter()
            .zip(&ledgers)
            .map(|(a, l)| json!({"network": a.network, "ledger": l}))
            .collect();
        let v = json!({"person": pl, "accounts": accounts});
        serde_json::to_writer(&mut out, &v)?;
        writeln!(out)?;
    } else {
        write_person(&mut out, &pl)?;
        for (a, l) in pl.accounts.iter().zip(&ledgers) {
            writeln!(out, "\n== {} on {} ==", a.account, a.network)?;
            super::ledger::write(&mut out, l)?;
        }
    }
    out.finish()
}

fn write_person(out: &mut Output, pl: &PersonLedger) -> Result<()> {
    writeln!(out, "person {}  score {:.2}", terminal(&pl.id), pl.score)?;
    for a in &pl.accounts {
        writeln!(
            out,
            "  account {:<24} on {:<12} L = {:.4}  (score there {:.2})",
            terminal(&a.account),
            terminal(&a.network),
            a.strength,
            a.score
        )?;
    }
    writeln!(out, "best L per network, weighted γ^i (best first):")?;
    for (n, l, w) in &pl.terms {
        writeln!(out, "  {n:<12} L = {l:.4} × {w}")?;
    }
    writeln!(out, "{}", pl.formula)?;
    Ok(())
}

fn write_json(
    out: &mut Output,
    p: &PersonScore,
    pct: f64,
    names: &[String],
    per: &[f64],
    delta: Option<Delta>,
) -> Result<()> {
    let networks: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .zip(per.iter().zip(&p.network_strengths))
        .map(|(n, (s, l))| (n.clone(), json!({"score": round2(*s), "strength": l})))
        .collect();
    let mut v = json!({"id": p.id, "score": round2(p.score), "percentile": round2(pct),
        "strength": p.strength, "networks": networks});
    if let Some(d) = delta {
        v["delta"] = json!(d.map(round2));
    }
    serde_json::to_writer(&mut *out, &v)?;
    writeln!(out)?;
    Ok(())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// One CSV field: neutralised against formula injection, quoted per RFC 4180 when needed.
fn csv_field(s: &str) -> String {
    let s = csv_cell(s);
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.into_owned()
    }
}
