//! The two HTML pages: `/` (a topic leaderboard with a topic picker) and `/account/{id}` (an
//! account's explanation: sub-scores, ledger summary, topics with evidence posts, influence).
//! Self-contained (inline CSS, no scripts); every piece of data is escaped.

use std::fmt::Write;

use super::json::bucket;
use super::snapshot::Snapshot;
use crate::store::{AccountRecord, Counterpart, Leaderboard};

/// The Content-Security-Policy sent with the pages: nothing but inline style and same-origin forms.
pub const CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'";

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:60em;padding:0 1em;color:#222}\
table{border-collapse:collapse;width:100%}th,td{padding:.3em .6em;border-bottom:1px solid #ddd;text-align:left}\
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}a{color:#0b5ed7}\
.muted{color:#666}blockquote{margin:.4em 0 .8em 1em;padding-left:.8em;border-left:3px solid #ccc}\
code{background:#f4f4f4;padding:.1em .3em}";

/// Escapes text for HTML content and attribute values (the report's escaping).
pub use crate::report::escape_html as escape;

/// Percent-encodes a path segment or query value (everything but RFC 3986 unreserved bytes).
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// `YYYY-MM-DD HH:MM UTC` for Unix seconds.
pub fn utc(secs: i64) -> String {
    let iso = crate::ingest::time::format_time(secs);
    format!("{} {} UTC", &iso[..10], &iso[11..16])
}

fn page(title: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\
<title>{}</title><style>{STYLE}</style></head><body>\n{body}\n\
<p class=\"muted\">clout · <a href=\"/\">leaderboards</a> · <a href=\"/openapi.json\">API (OpenAPI)</a></p>\
</body></html>\n",
        escape(title)
    )
}

fn run_line(snap: &Snapshot) -> String {
    match snap.meta() {
        Some(m) => format!(
            "<p class=\"muted\">Run as of {} · {} accounts · {} posts · ontology {}</p>",
            utc(m.as_of),
            m.accounts,
            m.posts,
            escape(&m.ontology)
        ),
        None => String::new(),
    }
}

fn account_link(id: &str) -> String {
    format!("<a href=\"/account/{}\">{}</a>", url_encode(id), escape(id))
}

fn picker(snap: &Snapshot, current: Option<&str>, limit: usize) -> String {
    let mut s = String::from(
        "<form method=\"get\" action=\"/\"><label>Topic <select name=\"topic\">\
<option value=\"\">All topics (overall score)</option>",
    );
    for b in snap.leaderboards() {
        let sel = if Some(b.topic.as_str()) == current {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            s,
            "<option value=\"{}\"{sel}>{}</option>",
            escape(&b.topic),
            escape(&b.name)
        );
    }
    let _ = write!(
        s,
        "</select></label> <label>Rows <input name=\"limit\" type=\"number\" min=\"1\" max=\"{}\" value=\"{limit}\"></label> \
<button type=\"submit\">Show</button></form>",
        super::params::MAX_LIMIT
    );
    s
}

/// `/campaign`: the filter form for `c`'s topic and its target list.
pub fn campaign(snap: &Snapshot, c: &crate::report::campaign::Campaign) -> String {
    let f = &c.filters;
    let mut body = format!("<h1>Campaign: {}</h1>", escape(&c.topic_name));
    body.push_str(&run_line(snap));
    let mut topics = String::new();
    for b in snap.leaderboards() {
        let sel = if b.topic == c.topic { " selected" } else { "" };
        let _ = write!(
            topics,
            "<option value=\"{}\"{sel}>{}</option>",
            escape(&b.topic),
            escape(&b.name)
        );
    }
    let mut networks = String::from("<option value=\"\">any</option>");
    for n in snap.networks() {
        let sel = if f
            .network
            .as_deref()
            .is_some_and(|x| x.eq_ignore_ascii_case(n))
        {
            " selected"
        } else {
            ""
        };
        let _ = write!(
            networks,
            "<option value=\"{}\"{sel}>{}</option>",
            escape(n),
            escape(n)
        );
    }
    let _ = write!(
        body,
        "<form method=\"get\" action=\"/campaign\"><label>Topic <select name=\"topic\">{topics}</select></label> \
<label>Network <select name=\"network\">{networks}</select></label> \
<label>Score from <input name=\"minScore\" type=\"number\" min=\"1\" max=\"100\" step=\"any\" value=\"{}\"></label> \
<label>to <input name=\"maxScore\" type=\"number\" min=\"1\" max=\"100\" step=\"any\" value=\"{}\"></label> \
<label>Engaged accounts ≥ <input name=\"minReach\" type=\"number\" min=\"0\" value=\"{}\"></label> \
<label><input name=\"excludeSuspicious\" type=\"checkbox\" value=\"true\"{}> no gaming flags</label> \
<label>Rows <input name=\"limit\" type=\"number\" min=\"1\" max=\"{}\" value=\"{}\"></label> \
<button type=\"submit\">Find</button></form>",
        f.min_score,
        f.max_score,
        f.min_reach,
        if f.exclude_suspicious { " checked" } else { "" },
        super::params::MAX_LIMIT,
        f.limit
    );
    let _ = write!(
        body,
        "<p class=\"muted\">{}</p>\
<table><thead><tr><th class=\"n\">#</th><th>Account</th><th>Network</th><th class=\"n\">Score</th>\
<th class=\"n\">Engaged</th><th class=\"n\">Topic rank</th><th>Why</th></tr></thead><tbody>",
        escape(&c.summary())
    );
    for t in &c.targets {
        let why: Vec<String> = t.reasons().into_iter().map(escape).collect();
        let _ = write!(
            body,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td></tr>",
            t.rank,
            account_link(&t.account),
            escape(&t.network),
            t.score,
            t.true_reach,
            t.board_rank,
            why.join("; ")
        );
    }
    body.push_str("</tbody></table>");
    page(&format!("clout · campaign · {}", c.topic_name), &body)
}

/// `/`: the leaderboard of `board`, or the overall ranking when `None`.
pub fn home(snap: &Snapshot, board: Option<&Leaderboard>, limit: usize) -> String {
    let mut body = String::from("<h1>clout leaderboards</h1>");
    body.push_str(&run_line(snap));
    body.push_str(&picker(snap, board.map(|b| b.topic.as_str()), limit));
    match board {
        Some(b) => body.push_str(&board_table(snap, b, limit)),
        None => body.push_str(&overall_table(snap, limit)),
    }
    let title = board.map_or("All topics".to_owned(), |b| b.name.clone());
    page(&format!("clout · {title}"), &body)
}

fn board_table(snap: &Snapshot, b: &Leaderboard, limit: usize) -> String {
    let mut s = format!(
        "<h2>{}</h2><p class=\"muted\">{} · {} ranked accounts · JSON: <a href=\"/v2/topics/{}/leaders?limit={limit}\">leaders</a></p>\
<table><thead><tr><th class=\"n\">#</th><th>Account</th><th>Network</th><th class=\"n\">Topic influence</th>\
<th class=\"n\">Expertise</th><th class=\"n\">Score</th></tr></thead><tbody>",
        escape(&b.name),
        escape(&b.path.join(" › ")),
        b.entries.len(),
        url_encode(&b.topic)
    );
    for e in b.entries.iter().take(limit) {
        let network = snap.account(&e.account).map_or("", |a| &a.account.network);
        let _ = write!(
            s,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.1}</td></tr>",
            e.rank,
            account_link(&e.account),
            escape(network),
            e.value,
            e.expertise,
            e.score
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn overall_table(snap: &Snapshot, limit: usize) -> String {
    let mut s = String::from(
        "<h2>All topics</h2><table><thead><tr><th class=\"n\">#</th><th>Account</th><th>Network</th>\
<th class=\"n\">Score</th><th>Bucket</th><th>Top topic</th></tr></thead><tbody>",
    );
    for (i, a) in snap.accounts().iter().take(limit).enumerate() {
        let topic = a
            .topics
            .first()
            .map_or(String::new(), |t| snap.topic_label(&t.topic).name);
        let _ = write!(
            s,
            "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{:.1}</td><td>{}</td><td>{}</td></tr>",
            i + 1,
            account_link(&a.account.id),
            escape(&a.account.network),
            a.score,
            bucket(a.score),
            escape(&topic)
        );
    }
    if snap.accounts().is_empty() {
        s.push_str("<tr><td colspan=\"6\">This run has no accounts.</td></tr>");
    }
    s.push_str("</tbody></table>");
    s
}

/// `/account/{id}`: why the account has its score.
pub fn account(snap: &Snapshot, rec: &AccountRecord) -> String {
    let a = &rec.account;
    let mut b = format!(
        "<h1>{}</h1><p class=\"muted\">{} · handle {} · person {} · JSON: <a href=\"/v2/user.json/{id}/explain\">explain</a>, <a href=\"/v2/user.json/{id}/badges\">badges</a></p>",
        escape(&a.id),
        escape(&a.network),
        escape(&a.handle),
        escape(&a.person),
        id = url_encode(&a.id)
    );
    b.push_str(&run_line(snap));
    let _ = write!(
        b,
        "<h2>Score {:.1} <span class=\"muted\">({}, percentile {:.1})</span></h2>\
<table><thead><tr><th>Measure</th><th class=\"n\">Raw</th><th class=\"n\">Sub-score</th></tr></thead><tbody>\
<tr><td>True Reach (engaged accounts)</td><td class=\"n\">{:.3}</td><td class=\"n\">{:.1}</td></tr>\
<tr><td>Amplification (P(post acted on))</td><td class=\"n\">{:.4}</td><td class=\"n\">{:.1}</td></tr>\
<tr><td>Network Impact (PageRank)</td><td class=\"n\">{:.3e}</td><td class=\"n\">{:.1}</td></tr></tbody></table>",
        rec.score,
        bucket(rec.score),
        rec.percentile,
        rec.true_reach.raw,
        rec.true_reach.score,
        rec.amplification.raw,
        rec.amplification.score,
        rec.network_impact.raw,
        rec.network_impact.score
    );
    b.push_str(&deltas(rec));
    b.push_str(&badges(&snap.achievements(rec)));
    b.push_str(&ledger(rec));
    b.push_str(&topics(snap, rec));
    b.push_str(&relations("Influenced by", &rec.influencers));
    b.push_str(&relations("Influences", &rec.influencees));
    b.push_str(&history(snap, rec));
    page(&format!("clout · {}", a.id), &b)
}

/// The earned badges, each with its level and why (escaped).
fn badges(a: &crate::report::badges::Achievements) -> String {
    if a.badges.is_empty() {
        return "<h2>Badges</h2><p class=\"muted\">None yet.</p>".into();
    }
    let items: String = a
        .badges
        .iter()
        .map(|b| {
            format!(
                "<li><strong>{}</strong> level {} of {}: {}</li>",
                escape(b.name),
                b.level,
                b.levels,
                escape(&b.why)
            )
        })
        .collect();
    format!("<h2>Badges</h2><ul class=\"badges\">{items}</ul>")
}

fn deltas(rec: &AccountRecord) -> String {
    let f = |d: Option<f64>| d.map_or("–".to_owned(), |v| format!("{v:+.1}"));
    format!(
        "<p>Change: day {} · week {} · month {}</p>",
        f(rec.delta.day),
        f(rec.delta.week),
        f(rec.delta.month)
    )
}

fn ledger(rec: &AccountRecord) -> String {
    let l = &rec.ledger;
    let opt = |v: Option<u32>| v.map_or("–".to_owned(), |n| n.to_string());
    let kinds: Vec<String> = l
        .actions_by_kind
        .iter()
        .map(|(k, n)| format!("{} {n}", escape(k)))
        .collect();
    format!(
        "<h2>Ledger</h2><ul><li>Engaged accounts: {} (followers among them: {})</li>\
<li>Posts: {} ({} acted on)</li><li>Actions received: {}</li><li>Followers {} · following {}</li>\
<li>Gaming flags: {}</li></ul><p>Formula: <code>{}</code></p>",
        l.engaged_accounts,
        opt(l.followers_engaged),
        l.posts,
        l.posts_acted_on,
        if kinds.is_empty() {
            "none".to_owned()
        } else {
            kinds.join(", ")
        },
        opt(l.followers),
        opt(l.following),
        if l.flags.is_empty() {
            "none".to_owned()
        } else {
            escape(&l.flags.join("; "))
        },
        escape(&l.formula)
    )
}

fn topics(snap: &Snapshot, rec: &AccountRecord) -> String {
    if rec.topics.is_empty() {
        return "<h2>Topics</h2><p>No topics.</p>".to_owned();
    }
    let mut s = String::from("<h2>Topics</h2>");
    for t in &rec.topics {
        let label = snap.topic_label(&t.topic);
        let link = if snap.leaderboard(&t.topic).is_some() {
            format!(
                "<a href=\"/?topic={}\">{}</a>",
                url_encode(&label.slug),
                escape(&label.name)
            )
        } else {
            escape(&label.name)
        };
        let _ = write!(
            s,
            "<h3>{link} <span class=\"muted\">expertise {:.3}</span></h3>",
            t.expertise
        );
        if let Some(k) = &t.plus_k {
            let _ = write!(
                s,
                "<p class=\"muted\">+K: {} endorsers ({} mutual, discounted), weight {:.2}, expertise ×{:.3}{}</p>",
                k.endorsers,
                k.mutual,
                k.weight,
                k.multiplier,
                if k.capped { " (capped: at most a quarter of it from +K)" } else { "" }
            );
        }
        for post in t.evidence.iter().filter_map(|id| snap.post(id)) {
            let _ = write!(
                s,
                "<blockquote>{}<br><span class=\"muted\">{} · {} · {} reactors</span></blockquote>",
                escape(&post.text),
                escape(&post.id),
                utc(post.time),
                post.reactors
            );
        }
    }
    s
}

fn relations(title: &str, list: &[Counterpart]) -> String {
    let mut s = format!("<h2>{title}</h2>");
    if list.is_empty() {
        s.push_str("<p>None in this run.</p>");
        return s;
    }
    s.push_str("<table><thead><tr><th>Account</th><th class=\"n\">Actions</th><th class=\"n\">Weight</th></tr></thead><tbody>");
    for c in list {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{:.4}</td></tr>",
            account_link(&c.id),
            c.actions,
            c.weight
        );
    }
    s.push_str("</tbody></table>");
    s
}

fn history(snap: &Snapshot, rec: &AccountRecord) -> String {
    let h = snap.history(&rec.account.id);
    if h.len() < 2 {
        return String::new();
    }
    let mut s = String::from("<h2>History</h2><table><thead><tr><th>As of</th><th class=\"n\">Score</th></tr></thead><tbody>");
    for p in &h {
        let _ = write!(
            s,
            "<tr><td>{}</td><td class=\"n\">{:.1}</td></tr>",
            utc(p.as_of),
            p.score
        );
    }
    s.push_str("</tbody></table>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            escape("<a href=\"x\">&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;"
        );
    }

    #[test]
    fn url_encodes_reserved_bytes() {
        assert_eq!(url_encode("tw:a/b c"), "tw%3Aa%2Fb%20c");
        assert_eq!(url_encode("é"), "%C3%A9");
        assert_eq!(url_encode("A-z_0.~"), "A-z_0.~");
    }

    #[test]
    fn formats_utc_dates() {
        assert_eq!(utc(0), "1970-01-01 00:00 UTC");
        // `date -u -d @1700000000` → Tue Nov 14 22:13:20 UTC 2023
        assert_eq!(utc(1_700_000_000), "2023-11-14 22:13 UTC");
        // 2000-02-29 (leap day) 12:00
        assert_eq!(utc(951_825_600), "2000-02-29 12:00 UTC");
        assert_eq!(utc(-86_400), "1969-12-31 00:00 UTC");
    }
}
