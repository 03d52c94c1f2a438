//! The HTML report: one self-contained page (inline CSS and SVG, no script, nothing fetched)
//! with the ranking table, the run's score distribution, and per entry its sub-scores, topic
//! mix, score history, why and evidence posts. Every text from the data is escaped.

use std::fmt::Write;

use super::data::{ReportData, ReportEntry};
use super::svg::{self, Bar};
use super::why;
use crate::ingest::time::format_time;

/// Topics shown in an entry's topic mix, at most.
pub const TOPIC_MIX: usize = 6;

const STYLE: &str = "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:1000px;\
color:#1d2430;padding:0 1em}h1{margin-bottom:.2em}.meta{color:#5b6575}\
table{border-collapse:collapse;width:100%}th,td{padding:4px 8px;border-bottom:1px solid #dde2ea;\
text-align:right}th:nth-child(2),td:nth-child(2){text-align:left}thead th{background:#f2f4f8}\
article{border-top:2px solid #dde2ea;margin-top:1.5em;padding-top:.5em}\
.charts{display:flex;flex-wrap:wrap;gap:1em}figure{margin:0}figcaption{color:#5b6575;font-size:12px}\
svg text{font:11px system-ui,sans-serif;fill:#1d2430}svg .bar{fill:#3b6fd8}svg .track{fill:#eef1f6}\
svg .axis{stroke:#8a93a3}svg .spark{fill:none;stroke:#3b6fd8;stroke-width:1.5}\
svg .spark-end{fill:#3b6fd8}svg .note,svg .tick{fill:#5b6575}\
blockquote{margin:.3em 0;padding-left:.8em;border-left:3px solid #dde2ea;white-space:pre-wrap}\
.post-meta{color:#5b6575;font-size:12px;margin:0 0 .6em}";

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Renders the whole page.
pub fn render(data: &ReportData) -> String {
    let mut out = String::with_capacity(64 * 1024);
    let title = format!("Top influencers: {}", data.topic.name);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>clout report: {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n\
         <header>\n<h1>{}</h1>\n<p class=\"meta\">Topic <code>{}</code> ({}) · {}</p>\n</header>\n",
        escape(&data.topic.name),
        escape(&title),
        escape(&data.topic.topic),
        escape(&path(data)),
        escape(&why::run_line(&data.run)),
    );
    ranking(&mut out, data);
    let _ = write!(
        out,
        "<section id=\"distribution\">\n<h2>Score distribution of the run</h2>\n<figure>{}<figcaption>Accounts by 1–100 score, {} accounts.</figcaption></figure>\n</section>\n",
        svg::histogram(&data.distribution, "Score distribution"),
        data.distribution.iter().map(|b| b.count).sum::<u64>()
    );
    out.push_str("<section id=\"entries\">\n<h2>Why they rank</h2>\n");
    for e in &data.entries {
        entry(&mut out, data, e);
    }
    out.push_str("</section>\n</body>\n</html>\n");
    out
}

/// `Hobbies › Gardening`, from the topic's path.
fn path(data: &ReportData) -> String {
    let names: Vec<&str> = data.topic.path.iter().map(|s| data.topic_name(s)).collect();
    names.join(" › ")
}

/// The ranking table, one row per entry linking to its section.
fn ranking(out: &mut String, data: &ReportData) {
    out.push_str(
        "<section id=\"ranking\">\n<h2>Ranking</h2>\n<table id=\"leaderboard\">\n<thead><tr>\
         <th>#</th><th>account</th><th>topic influence</th><th>score</th><th>True Reach</th>\
         <th>Amplification</th><th>Network Impact</th><th>expertise</th><th>topical impact</th>\
         </tr></thead>\n<tbody>\n",
    );
    for e in &data.entries {
        let r = &e.record;
        let _ = writeln!(
            out,
            "<tr class=\"entry-row\"><td>{}</td><td><a href=\"#entry-{}\">{}</a></td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            e.leader.rank,
            e.leader.rank,
            escape(&r.account.id),
            why::number(e.leader.value),
            why::score(r.score),
            why::score(r.true_reach.score),
            why::score(r.amplification.score),
            why::score(r.network_impact.score),
            why::expertise(e.leader.expertise),
            why::topical_impact(e.leader.topical_impact),
        );
    }
    out.push_str("</tbody>\n</table>\n</section>\n");
}

/// One entry's section: header, charts, why, evidence.
fn entry(out: &mut String, data: &ReportData, e: &ReportEntry) {
    let r = &e.record;
    let _ = write!(
        out,
        "<article class=\"entry\" id=\"entry-{}\">\n<h3>{}. {} <small>({}, person {})</small></h3>\n\
         <p>Score <b>{}</b> (percentile {:.1}; change day {}, week {}, month {}) · expertise in {} {} · topical impact {}</p>\n\
         <div class=\"charts\">\n<figure>{}<figcaption>Sub-scores (1–100) and raw units</figcaption></figure>\n",
        e.leader.rank,
        e.leader.rank,
        escape(&r.account.id),
        escape(&r.account.network),
        escape(&r.account.person),
        why::score(r.score),
        r.percentile,
        why::delta(r.delta.day),
        why::delta(r.delta.week),
        why::delta(r.delta.month),
        escape(&data.topic.name),
        why::expertise(e.leader.expertise),
        why::topical_impact(e.leader.topical_impact),
        svg::bars(&sub_score_bars(e), &format!("Sub-scores of {}", r.account.id)),
    );
    if !r.topics.is_empty() {
        let _ = write!(
            out,
            "<figure>{}<figcaption>Topic mix (expertise)</figcaption></figure>\n",
            svg::bars(&topic_bars(data, e), &format!("Topics of {}", r.account.id))
        );
    }
    if let Some(s) = svg::sparkline(&e.history, &format!("Score history of {}", r.account.id)) {
        let (first, last) = (&e.history[0], &e.history[e.history.len() - 1]);
        let _ = write!(
            out,
            "<figure>{s}<figcaption>Score history, {} runs: {} ({}) → {} ({})</figcaption></figure>\n",
            e.history.len(),
            why::score(first.score),
            format_time(first.as_of),
            why::score(last.score),
            format_time(last.as_of)
        );
    }
    out.push_str("</div>\n<ul class=\"why\">\n");
    for s in why::signals(e) {
        let _ = writeln!(
            out,
            "<li><b>{}</b>: {}</li>",
            escape(s.label),
            escape(&s.value)
        );
    }
    out.push_str("</ul>\n");
    evidence(out, e);
    out.push_str("</article>\n");
}

fn sub_score_bars(e: &ReportEntry) -> Vec<Bar> {
    why::sub_scores(e)
        .into_iter()
        .map(|(name, score, raw)| Bar {
            label: name.into(),
            value: score,
            max: 100.0,
            shown: why::score(score),
            note: raw,
        })
        .collect()
}

fn topic_bars(data: &ReportData, e: &ReportEntry) -> Vec<Bar> {
    let topics = &e.record.topics[..e.record.topics.len().min(TOPIC_MIX)];
    let max = topics.iter().map(|t| t.expertise).fold(0.0, f64::max);
    topics
        .iter()
        .map(|t| Bar {
            label: data.topic_name(&t.topic).to_string(),
            value: t.expertise,
            max,
            shown: why::expertise(t.expertise),
            note: String::new(),
        })
        .collect()
}

fn evidence(out: &mut String, e: &ReportEntry) {
    if e.evidence.is_empty() {
        return;
    }
    out.push_str("<h4>Evidence posts</h4>\n<ol class=\"evidence\">\n");
    for p in &e.evidence {
        let _ = writeln!(
            out,
            "<li><blockquote>{}</blockquote><p class=\"post-meta\">{} · {} · {} reactors</p></li>",
            escape(&p.text),
            escape(&p.id),
            format_time(p.time),
            p.reactors
        );
    }
    out.push_str("</ol>\n");
}
