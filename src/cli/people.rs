//! `clout score` over several networks or with `--identities`: one row per person with the
//! combined score and the score on each network (see `crate::score::networks`).

use std::io::Write;

use anyhow::Result;
use serde_json::json;

use super::output::Format;
use super::score::{ScoreArgs, Scored};
use super::Output;
use crate::ingest::Source;
use crate::score::combine::percentiles;
use crate::score::networks::{combine_people, score_networks, Identities, PersonScore};

pub fn run(args: &ScoreArgs, run: &Scored) -> Result<()> {
    let ids = &run.inter.accounts;
    let identities = match &args.identities {
        Some(path) => Identities::parse(&Source::open(path)?, ids)?,
        None => Identities::singletons(ids),
    };
    let ns = score_networks(&run.inputs(), &run.scores.params)?;
    let mut people = combine_people(&ns, &identities);
    people.sort_by(|a, b| b.score.total_cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
    let pct = percentiles(&people.iter().map(|p| p.score).collect::<Vec<_>>());
    let format = args.listing.format();
    let text = format == Format::Text;
    let k = args.listing.top().unwrap_or(people.len());
    let cal = run.scores.params.calibration;
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
        writeln!(out, "id,score,percentile,{}", ns.names.join(","))?;
    }
    for (p, pc) in people.iter().zip(&pct).take(k) {
        let per: Vec<f64> = p.network_strengths.iter().map(|&l| cal.points(l)).collect();
        if format == Format::Json {
            write_json(&mut out, p, *pc, &ns.names, &per)?;
        } else if format == Format::Csv {
            let cols: Vec<String> = per.iter().map(|x| format!("{:.2}", x)).collect();
            writeln!(
                out,
                "{},{:.2},{:.2},{}",
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
            writeln!(
                out,
                "{:<24} {:>6.2} {:>6.2}  {}",
                p.id,
                p.score,
                pc,
                cols.join("  ")
            )?;
        }
    }
    out.finish()
}

fn write_json(
    out: &mut Output,
    p: &PersonScore,
    pct: f64,
    names: &[String],
    per: &[f64],
) -> Result<()> {
    let networks: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .zip(per.iter().zip(&p.network_strengths))
        .map(|(n, (s, l))| (n.clone(), json!({"score": round2(*s), "strength": l})))
        .collect();
    let v = json!({"id": p.id, "score": round2(p.score), "percentile": round2(pct),
        "strength": p.strength, "networks": networks});
    serde_json::to_writer(&mut *out, &v)?;
    writeln!(out)?;
    Ok(())
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}
