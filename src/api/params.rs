//! Request parameters, checked once into typed values: path segments (percent-decoded, length
//! and character limits), the query string, and the `limit` of a listing.

use super::error::ApiError;

/// Longest request target (path and query) the API accepts, in bytes: room for a path with a
/// name of [`MAX_NAME`] four-byte characters, percent-encoded.
pub const MAX_TARGET: usize = 4096;
/// Longest account id, handle or topic slug, in characters after percent-decoding (as the
/// OpenAPI `maxLength` counts them); at most 4 bytes each.
pub const MAX_NAME: usize = 256;
/// `limit` when none is given.
pub const DEFAULT_LIMIT: usize = 20;
/// Largest `limit` a listing accepts; larger values are refused with 400.
pub const MAX_LIMIT: usize = 100;

/// A checked `limit`: 1 ..= [`MAX_LIMIT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit(usize);

impl Limit {
    /// Parses the `limit` query parameter (`None`: the default).
    pub fn parse(raw: Option<&str>) -> Result<Limit, ApiError> {
        let Some(raw) = raw else {
            return Ok(Limit(DEFAULT_LIMIT));
        };
        let n: usize = raw.parse().map_err(|_| {
            ApiError::bad_request(format!(
                "limit must be a whole number from 1 to {MAX_LIMIT}, got {:?}",
                shorten(raw)
            ))
        })?;
        if n == 0 || n > MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit must be from 1 to {MAX_LIMIT}, got {n}"
            )));
        }
        Ok(Limit(n))
    }

    pub fn get(self) -> usize {
        self.0
    }
}

/// The campaign filters of a query: `network`, `minScore`, `maxScore`, `minReach`,
/// `excludeSuspicious` (`true`/`false`), `limit` (as for listings); empty values are absent
/// (an HTML form submits them so). Ranges are checked by the caller's `check`.
pub fn campaign(q: &Query) -> Result<crate::report::campaign::CampaignParams, ApiError> {
    let present = |k: &str| q.get(k).filter(|v| !v.is_empty());
    let number = |k: &str| -> Result<Option<f64>, ApiError> {
        present(k)
            .map(|v| {
                v.parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or_else(|| {
                        ApiError::bad_request(format!("{k} must be a number, got {:?}", shorten(v)))
                    })
            })
            .transpose()
    };
    let min_reach = present("minReach")
        .map(|v| {
            v.parse::<u32>().map_err(|_| {
                ApiError::bad_request(format!(
                    "minReach must be a whole number ≥ 0, got {:?}",
                    shorten(v)
                ))
            })
        })
        .transpose()?;
    let exclude = match present("excludeSuspicious") {
        None | Some("false") => false,
        Some("true") => true,
        Some(v) => {
            return Err(ApiError::bad_request(format!(
                "excludeSuspicious must be true or false, got {:?}",
                shorten(v)
            )))
        }
    };
    Ok(crate::report::campaign::CampaignParams {
        network: present("network").map(|n| name(n, "network")).transpose()?,
        min_score: number("minScore")?,
        max_score: number("maxScore")?,
        min_reach,
        exclude_suspicious: exclude,
        limit: Limit::parse(present("limit"))?.get(),
    })
}

/// Decodes one path segment or query value and checks it names something: 1 ..= [`MAX_NAME`]
/// characters of UTF-8 without whitespace or control characters. `what` names it in errors.
pub fn name(raw: &str, what: &str) -> Result<String, ApiError> {
    let decoded = decoded(raw, what)?;
    if decoded.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(invalid(
            raw,
            what,
            "contains whitespace or control characters",
        ));
    }
    Ok(decoded)
}

/// Decodes one account id: any 1 ..= [`MAX_NAME`] characters of UTF-8 once percent-decoded,
/// whitespace and control characters included, since the inputs accept them in ids (JSON
/// lines); the pages link them percent-encoded.
pub fn account_id(raw: &str) -> Result<String, ApiError> {
    decoded(raw, "account id")
}

/// Percent-decoded, non-empty and at most [`MAX_NAME`] characters.
fn decoded(raw: &str, what: &str) -> Result<String, ApiError> {
    let d = percent_decode(raw)
        .ok_or_else(|| invalid(raw, what, "bad percent-encoding or not UTF-8"))?;
    if d.is_empty() {
        return Err(invalid(raw, what, "empty"));
    }
    if d.chars().count() > MAX_NAME {
        let why = format!("longer than {MAX_NAME} characters");
        return Err(invalid(raw, what, &why));
    }
    Ok(d)
}

fn invalid(raw: &str, what: &str, why: &str) -> ApiError {
    ApiError::bad_request(format!("invalid {what} {:?}: {why}", shorten(raw)))
}

/// Decodes `%XX` escapes (and `+` as a space in query values is NOT applied: ids never hold
/// spaces). `None` for a bad escape or invalid UTF-8.
pub fn percent_decode(s: &str) -> Option<String> {
    if !s.contains('%') {
        return Some(s.to_owned());
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b.get(i + 1..i + 3)?;
            let hi = (hex[0] as char).to_digit(16)?;
            let lo = (hex[1] as char).to_digit(16)?;
            out.push((hi * 16 + lo) as u8);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The parameters of a query string; unknown keys are ignored (as Klout's `key=` was), a key
/// given twice is refused.
#[derive(Debug, Default)]
pub struct Query<'a> {
    pairs: Vec<(&'a str, &'a str)>,
}

impl<'a> Query<'a> {
    pub fn parse(raw: Option<&'a str>) -> Result<Query<'a>, ApiError> {
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for part in raw.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
            let (k, v) = part.split_once('=').unwrap_or((part, ""));
            if pairs.iter().any(|(seen, _)| *seen == k) {
                return Err(ApiError::bad_request(format!(
                    "query parameter {:?} given more than once",
                    shorten(k)
                )));
            }
            pairs.push((k, v));
        }
        Ok(Query { pairs })
    }

    /// The raw (still percent-encoded) value of `key`.
    pub fn get(&self, key: &str) -> Option<&'a str> {
        self.pairs.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    }
}

/// At most 64 characters of `s`, for echoing user input in error messages.
pub fn shorten(s: &str) -> String {
    const KEEP: usize = 64;
    match s.char_indices().nth(KEEP) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_defaults_and_bounds() {
        assert_eq!(Limit::parse(None).unwrap().get(), DEFAULT_LIMIT);
        assert_eq!(Limit::parse(Some("1")).unwrap().get(), 1);
        assert_eq!(Limit::parse(Some("100")).unwrap().get(), MAX_LIMIT);
        for bad in [
            "0",
            "101",
            "-1",
            "ten",
            "",
            "1e3",
            "99999999999999999999999",
        ] {
            assert_eq!(Limit::parse(Some(bad)).unwrap_err().status, 400, "{bad}");
        }
    }

    #[test]
    fn names_are_decoded_and_checked() {
        assert_eq!(name("tw%3Aada", "id").unwrap(), "tw:ada");
        assert_eq!(name("caf%C3%A9", "id").unwrap(), "café");
        for bad in [
            "",
            "%",
            "%zz",
            "%C3",
            "a%20b",
            "a%0Ab",
            &"x".repeat(MAX_NAME + 1),
        ] {
            assert_eq!(name(bad, "id").unwrap_err().status, 400, "{bad:?}");
        }
    }

    #[test]
    fn query_pairs_and_duplicates() {
        let q = Query::parse(Some("limit=5&key=abc&flag")).unwrap();
        assert_eq!(q.get("limit"), Some("5"));
        assert_eq!(q.get("flag"), Some(""));
        assert_eq!(q.get("other"), None);
        assert!(Query::parse(Some("limit=5&limit=6")).is_err());
        assert!(Query::parse(None).unwrap().get("limit").is_none());
    }

    #[test]
    fn shorten_cuts_on_char_boundaries() {
        let long = "é".repeat(100);
        assert_eq!(shorten(&long).chars().count(), 65);
        assert_eq!(shorten("abc"), "abc");
    }
}
