//! +K endorsement files (`endorsements.txt` or `endorsements.jsonl` in a dataset, each maybe
//! `.gz` / `.zst`): `endorser account topic time` lines (whitespace-separated; blank and `#`
//! lines skipped; the time as Unix seconds or ISO 8601), or JSON lines
//! `{"endorser": …, "account": …, "topic": …, "time": …}` (the time a number or a string).
//! Records keep names; matching them to accounts and topics, and the +K rule, are
//! [`crate::topics::expertise::endorse`]'s and the pipeline's.

use serde_json::Value;

use super::source::{Flow, Source};
use super::time::parse_time;
use crate::error::{Error, Result};

/// One endorsement as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEndorsement {
    pub endorser: String,
    pub account: String,
    /// A topic slug of the run's ontology.
    pub topic: String,
    pub time: i64,
    /// The 1-based line it was read from.
    pub line: u64,
}

/// The endorsements of a file, and how many malformed lines `lenient` skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Read {
    pub records: Vec<RawEndorsement>,
    pub skipped: u64,
}

/// Reads every endorsement of `source`; a malformed line is an error naming the file, the
/// line and what was wrong, or with `lenient` skipped and counted.
pub fn parse(source: &Source, lenient: bool) -> Result<Read> {
    let mut out = Read::default();
    source.lines(|line_no, line| {
        match record(line, line_no) {
            Ok(Some(r)) => out.records.push(r),
            Ok(None) => {}
            Err(_) if lenient => out.skipped += 1,
            Err(reason) => return Err(Error::parse(source.path(), line_no, reason)),
        }
        Ok(Flow::Continue(()))
    })?;
    Ok(out)
}

/// One line's endorsement (`None`: blank or a comment).
fn record(line: &[u8], line_no: u64) -> std::result::Result<Option<RawEndorsement>, String> {
    let text = std::str::from_utf8(line)
        .map_err(|_| "not valid UTF-8".to_string())?
        .trim();
    if text.is_empty() || text.starts_with('#') {
        return Ok(None);
    }
    let (endorser, account, topic, time) = if text.starts_with('{') {
        json_fields(text)?
    } else {
        text_fields(text)?
    };
    if endorser.is_empty() || account.is_empty() || topic.is_empty() {
        return Err("endorser, account and topic must not be empty".into());
    }
    let time = parse_time(&time)
        .ok_or_else(|| format!("time {time:?} is neither Unix seconds nor ISO 8601"))?;
    Ok(Some(RawEndorsement {
        endorser,
        account,
        topic,
        time,
        line: line_no,
    }))
}

type Fields = (String, String, String, String);

fn text_fields(line: &str) -> std::result::Result<Fields, String> {
    let f: Vec<&str> = line.split_whitespace().collect();
    match f.as_slice() {
        [e, a, t, time] => Ok((
            e.to_string(),
            a.to_string(),
            t.to_string(),
            time.to_string(),
        )),
        _ => Err(format!(
            "expected `endorser account topic time`, found {} fields",
            f.len()
        )),
    }
}

fn json_fields(line: &str) -> std::result::Result<Fields, String> {
    let v: Value = serde_json::from_str(line).map_err(|e| format!("invalid JSON: {e}"))?;
    let text = |k: &str| -> std::result::Result<String, String> {
        match &v[k] {
            Value::String(s) => Ok(s.clone()),
            Value::Null => Err(format!("field {k:?} is missing")),
            other => Err(format!("field {k:?} must be a string, found {other}")),
        }
    };
    let time = match &v["time"] {
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Null => return Err("field \"time\" is missing".into()),
        other => {
            return Err(format!(
                "field \"time\" must be a number or a string, found {other}"
            ))
        }
    };
    Ok((text("endorser")?, text("account")?, text("topic")?, time))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Vec<RawEndorsement>> {
        read_as(text, false).map(|r| r.records)
    }

    fn read_as(text: &str, lenient: bool) -> Result<Read> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("endorsements.txt");
        std::fs::write(&p, text).unwrap();
        parse(&Source::open(&p)?, lenient)
    }

    #[test]
    fn text_and_json_lines() {
        let r = read(
            "# endorser account topic time\n\
             tw:bob tw:ada gardening 1700000000\n\n\
             {\"endorser\":\"tw:cy\",\"account\":\"tw:ada\",\"topic\":\"gardening\",\"time\":\"2023-11-14T22:13:20Z\"}\n",
        )
        .unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (
                r[0].endorser.as_str(),
                r[0].account.as_str(),
                r[0].topic.as_str(),
                r[0].time,
                r[0].line
            ),
            ("tw:bob", "tw:ada", "gardening", 1_700_000_000, 2)
        );
        assert_eq!(
            (r[1].endorser.as_str(), r[1].time, r[1].line),
            ("tw:cy", 1_700_000_000, 4)
        );
    }

    #[test]
    fn bad_lines_name_the_line_and_the_fault() {
        let e = read("a b gardening 1\na b gardening\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains(":2") && e.contains("found 3 fields"), "{e}");
        let e = read("a b gardening yesterday\n").unwrap_err().to_string();
        assert!(e.contains("\"yesterday\" is neither"), "{e}");
        let e = read("{\"endorser\":\"a\",\"topic\":\"t\",\"time\":1}\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"account\" is missing"), "{e}");
        let e = read("{\"endorser\":\"a\",\"account\":7,\"topic\":\"t\",\"time\":1}\n")
            .unwrap_err()
            .to_string();
        assert!(e.contains("must be a string"), "{e}");
        let r = read_as("a b gardening 1\na b gardening\nx\n", true).unwrap();
        assert_eq!((r.records.len(), r.skipped), (1, 2));
    }
}
