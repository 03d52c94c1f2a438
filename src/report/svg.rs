//! The report's charts as inline SVG, drawn here (no chart library, no script): a histogram,
//! horizontal bars, and a sparkline. Every text is HTML-escaped; coordinates are written with
//! one decimal so that the same data gives the same bytes.

use std::fmt::Write;

use super::data::Bin;
use super::html::escape;
use crate::store::HistoryPoint;

/// One horizontal bar: a label, a value against a maximum, and a note in the value's unit.
#[derive(Debug, Clone, PartialEq)]
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub max: f64,
    /// The value as shown beside the bar.
    pub shown: String,
    /// What the value means, in raw units (may be empty).
    pub note: String,
}

/// Opens an `<svg>` of the given size with an accessible title.
fn open(out: &mut String, class: &str, w: f64, h: f64, title: &str) {
    let _ = write!(
        out,
        r#"<svg class="{class}" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img"><title>{}</title>"#,
        escape(title)
    );
}

/// A vertical-bar histogram of the bins' counts.
pub fn histogram(bins: &[Bin], title: &str) -> String {
    let (w, h, left, bottom, top) = (640.0, 220.0, 48.0, 28.0, 18.0);
    let (pw, ph) = (w - left - 20.0, h - bottom - top);
    let max = bins.iter().map(|b| b.count).max().unwrap_or(0).max(1) as f64;
    let bw = pw / bins.len().max(1) as f64;
    let mut out = String::new();
    open(&mut out, "chart histogram", w, h, title);
    let base = top + ph;
    let _ = write!(
        out,
        r#"<line class="axis" x1="{left}" y1="{base:.1}" x2="{:.1}" y2="{base:.1}"/><text class="tick" x="{:.1}" y="{:.1}" text-anchor="end">{}</text>"#,
        left + pw,
        left - 6.0,
        top + 4.0,
        max as u64
    );
    for (i, b) in bins.iter().enumerate() {
        let bh = b.count as f64 / max * ph;
        let x = left + i as f64 * bw;
        let _ = write!(
            out,
            r#"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{bh:.1}"><title>{}–{}: {} accounts</title></rect>"#,
            x + 1.0,
            base - bh,
            bw - 2.0,
            b.lo,
            b.hi,
            b.count
        );
        if b.count > 0 {
            let _ = write!(
                out,
                r#"<text class="count" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                x + bw / 2.0,
                base - bh - 3.0,
                b.count
            );
        }
        let _ = write!(
            out,
            r#"<text class="tick" x="{x:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            base + 16.0,
            b.lo
        );
    }
    if let Some(b) = bins.last() {
        let _ = write!(
            out,
            r#"<text class="tick" x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
            left + pw,
            base + 16.0,
            b.hi
        );
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars, one per row: label, bar, value, note.
pub fn bars(rows: &[Bar], title: &str) -> String {
    let (w, row, label_w, bar_w) = (460.0, 22.0, 120.0, 150.0);
    let h = row * rows.len() as f64 + 4.0;
    let mut out = String::new();
    open(&mut out, "chart bars", w, h, title);
    for (i, r) in rows.iter().enumerate() {
        let y = 2.0 + i as f64 * row;
        let frac = if r.max > 0.0 && r.value.is_finite() {
            (r.value / r.max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let bw = (frac * bar_w).max(1.0);
        let _ = write!(
            out,
            r#"<text class="label" x="{:.1}" y="{:.1}" text-anchor="end">{}</text><rect class="track" x="{label_w}" y="{:.1}" width="{bar_w}" height="{:.1}"/><rect class="bar" x="{label_w}" y="{:.1}" width="{bw:.1}" height="{:.1}"><title>{}: {}</title></rect><text class="value" x="{:.1}" y="{:.1}">{}</text><text class="note" x="{:.1}" y="{:.1}">{}</text>"#,
            label_w - 6.0,
            y + 15.0,
            escape(&r.label),
            y + 3.0,
            row - 6.0,
            y + 3.0,
            row - 6.0,
            escape(&r.label),
            escape(&r.shown),
            label_w + bar_w + 6.0,
            y + 15.0,
            escape(&r.shown),
            label_w + bar_w + 44.0,
            y + 15.0,
            escape(&r.note)
        );
    }
    out.push_str("</svg>");
    out
}

/// A score sparkline over runs (time axis from the first run to the last, score axis from the
/// lowest score to the highest), or `None` with fewer than two points.
pub fn sparkline(points: &[HistoryPoint], title: &str) -> Option<String> {
    if points.len() < 2 {
        return None;
    }
    let (w, h, pad) = (240.0, 48.0, 4.0);
    let t0 = points.first()?.as_of as f64;
    let span = (points.last()?.as_of as f64 - t0).max(1.0);
    let lo = points.iter().map(|p| p.score).fold(f64::INFINITY, f64::min);
    let hi = points
        .iter()
        .map(|p| p.score)
        .fold(f64::NEG_INFINITY, f64::max);
    let range = if hi - lo > 1e-9 { hi - lo } else { 1.0 };
    let xy = |p: &HistoryPoint| {
        let x = pad + (p.as_of as f64 - t0) / span * (w - 2.0 * pad);
        let y = pad + (1.0 - (p.score - lo) / range) * (h - 2.0 * pad);
        (x, y)
    };
    let mut out = String::new();
    open(&mut out, "chart sparkline", w, h, title);
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = xy(p);
        let _ = write!(d, "{}{x:.1} {y:.1}", if i == 0 { "M" } else { " L" });
    }
    let (x, y) = xy(points.last()?);
    let _ = write!(
        out,
        r#"<path class="spark" d="{d}"/><circle class="spark-end" cx="{x:.1}" cy="{y:.1}" r="2.5"/></svg>"#
    );
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_bar_heights_scale_to_the_largest_count() {
        let bins = [
            Bin {
                lo: 0.0,
                hi: 50.0,
                count: 2,
            },
            Bin {
                lo: 50.0,
                hi: 100.0,
                count: 4,
            },
        ];
        let svg = histogram(&bins, "t");
        // Plot height 220 - 28 - 18 = 174: the full bar is 174 tall, the half one 87.
        assert!(svg.contains(r#"height="87.0""#), "{svg}");
        assert!(svg.contains(r#"height="174.0""#), "{svg}");
        assert_eq!(svg.matches(r#"<rect class="bar""#).count(), 2);
    }

    #[test]
    fn sparkline_needs_two_points_and_maps_scores() {
        let p = |as_of, score| HistoryPoint {
            as_of,
            score,
            window: None,
            calibration: String::new(),
            topics: Vec::new(),
        };
        assert!(sparkline(&[p(0, 50.0)], "t").is_none());
        let svg = sparkline(&[p(0, 70.0), p(10, 60.0), p(20, 65.0)], "t").unwrap();
        assert!(
            svg.contains(r#"d="M4.0 4.0 L120.0 44.0 L236.0 24.0""#),
            "{svg}"
        );
        let flat = sparkline(&[p(0, 5.0), p(10, 5.0)], "t").unwrap();
        assert!(flat.contains(r#"d="M4.0 44.0 L236.0 44.0""#), "{flat}");
    }

    #[test]
    fn text_is_escaped() {
        let svg = bars(
            &[Bar {
                label: "<script>".into(),
                value: 1.0,
                max: 2.0,
                shown: "1".into(),
                note: "a&b".into(),
            }],
            "\"x\"",
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;") && svg.contains("a&amp;b"));
        assert!(svg.contains(r#"width="75.0""#), "{svg}");
    }
}
