//! The Markdown report: a GitHub table of the ranking, then per entry its why lines and
//! evidence posts. Text from the data is escaped so that it cannot break the table or inject
//! HTML or links.

use std::fmt::Write;

use super::data::ReportData;
use super::why;
use crate::ingest::time::format_time;

/// Escapes text for inline Markdown (GitHub flavour): one line, no table breaks, no HTML, no
/// emphasis, links (no `[`) or code spans.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in why::one_line(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '|' | '*' | '_' | '`' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Renders the report.
pub fn render(data: &ReportData) -> String {
    let mut out = String::new();
    let _ = write!(
        out,
        "# Top influencers: {}\n\nTopic `{}` · {}\n\n",
        escape(&data.topic.name),
        data.topic.topic.replace('`', "'"),
        escape(&why::run_line(&data.run))
    );
    out.push_str(
        "| # | account | topic influence | score | True Reach | Amplification | Network Impact | expertise | topical impact |\n\
         |--:|:--|--:|--:|--:|--:|--:|--:|--:|\n",
    );
    for e in &data.entries {
        let r = &e.record;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} ({}) | {} ({}) | {} ({}) | {} | {} |",
            e.leader.rank,
            escape(&r.account.id),
            why::number(e.leader.value),
            why::score(r.score),
            why::score(r.true_reach.score),
            why::true_reach(&r.true_reach),
            why::score(r.amplification.score),
            why::amplification(&r.amplification),
            why::score(r.network_impact.score),
            why::network_impact(&r.network_impact),
            why::expertise(e.leader.expertise),
            why::topical_impact(e.leader.topical_impact),
        );
    }
    out.push_str("\n## Why\n");
    for e in &data.entries {
        let _ = write!(
            out,
            "\n**{}. {}**\n\n",
            e.leader.rank,
            escape(&e.record.account.id)
        );
        for s in why::signals(e) {
            let _ = writeln!(out, "- {}: {}", s.label, escape(&s.value));
        }
        for p in &e.evidence {
            let _ = writeln!(
                out,
                "- evidence {} ({}, {} reactors): {}",
                escape(&p.id),
                format_time(p.time),
                p.reactors,
                escape(&p.text)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_table_html_and_newlines() {
        assert_eq!(escape("a|b"), "a\\|b");
        assert_eq!(
            escape("<script>x</script>"),
            "&lt;script&gt;x&lt;/script&gt;"
        );
        assert_eq!(escape("l1\nl2"), "l1 l2");
        assert_eq!(escape("[x](http://e)"), "\\[x\\](http://e)");
    }
}
