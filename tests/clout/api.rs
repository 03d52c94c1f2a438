//! `clout serve`'s API over real HTTP: a server on 127.0.0.1:0 over a hand-built run, asked with
//! a minimal HTTP/1.1 client; every endpoint's shape and values, the 4xx answers, the pages, and
//! the OpenAPI document against the live server.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::process::Command;
use std::sync::Arc;

use clout::api::{ServeConfig, Server, Snapshot};
use clout::store::*;
use serde_json::Value;

const AS_OF: i64 = 1_700_000_000;

fn measure(raw: f64, score: f64) -> Measure {
    Measure { raw, score }
}

fn account(id: &str, network: &str, handle: &str, person: &str, score: f64) -> AccountRecord {
    AccountRecord {
        account: AccountRef {
            id: id.into(),
            network: network.into(),
            handle: handle.into(),
            person: person.into(),
        },
        score,
        percentile: score,
        true_reach: measure(12.5, 40.0),
        amplification: measure(0.25, 30.0),
        network_impact: measure(1e-4, 20.0),
        delta: Deltas {
            day: None,
            week: None,
            month: None,
        },
        topics: vec![],
        influencers: vec![],
        influencees: vec![],
        ledger: LedgerSummary {
            engaged_accounts: 3,
            followers_engaged: Some(2),
            posts: 4,
            posts_acted_on: 1,
            actions_by_kind: vec![("share".into(), 5), ("like".into(), 2)],
            followers: Some(10),
            following: None,
            formula: format!("score = f({id})"),
            flags: Vec::new(),
        },
    }
}

fn counterpart(id: &str, actions: u32, weight: f64) -> Counterpart {
    Counterpart {
        id: id.into(),
        actions,
        weight,
    }
}

fn entry(rank: u32, account: &str, value: f64, score: f64) -> LeaderEntry {
    LeaderEntry {
        rank,
        account: account.into(),
        value,
        expertise: value * 2.0,
        topical_impact: value / 100.0,
        score,
    }
}

/// Three accounts (two linked to one person), two leaderboards, one evidence post; one handle
/// carries markup to check escaping.
fn fixture() -> RunData {
    let mut ada = account("tw:ada", "twitter", "Ada", "p1", 72.5);
    ada.delta = Deltas {
        day: Some(1.5),
        week: Some(-2.0),
        month: None,
    };
    ada.topics = vec![
        AccountTopic {
            topic: "gardening".into(),
            expertise: 3.25,
            evidence: vec!["post1".into()],
            plus_k: None,
        },
        AccountTopic {
            topic: "basketball".into(),
            expertise: 0.5,
            evidence: vec![],
            plus_k: None,
        },
    ];
    ada.influencers = vec![
        counterpart("ig:bob", 4, 0.75),
        counterpart("ghost", 1, 0.125),
    ];
    ada.influencees = vec![counterpart("tw:cy&<i>", 2, 0.375)];
    let bob = account("ig:bob", "instagram", "bob", "p1", 45.0);
    let cy = account("tw:cy&<i>", "twitter", "cy&<i>", "tw:cy&<i>", 9.5);
    RunData {
        meta: Some(RunMeta {
            as_of: AS_OF,
            window: None,
            created: AS_OF + 60,
            input_digest: "00".into(),
            source: "fixture".into(),
            calibration: "v1".into(),
            ontology: "builtin".into(),
            accounts: 3,
            people: 2,
            interactions: 10,
            posts: 4,
            inputs: Vec::new(),
            scoring: 0,
        }),
        accounts: vec![ada, bob, cy],
        leaderboards: vec![
            Leaderboard {
                topic: "gardening".into(),
                name: "Gardening".into(),
                path: vec!["hobbies".into(), "gardening".into()],
                entries: vec![
                    entry(1, "tw:ada", 0.5, 72.5),
                    entry(2, "tw:cy&<i>", 0.25, 9.5),
                    entry(3, "ig:bob", 0.125, 45.0),
                ],
            },
            Leaderboard {
                topic: "cooking".into(),
                name: "Cooking".into(),
                path: vec!["food-and-drink".into(), "cooking".into()],
                entries: vec![entry(1, "ig:bob", 0.75, 45.0)],
            },
        ],
        posts: vec![EvidencePost {
            id: "post1".into(),
            author: "tw:ada".into(),
            time: AS_OF - 3600,
            text: "Compost <tips> & tricks".into(),
            reactors: 7,
        }],
    }
}

fn serve(run: RunData) -> Server {
    let config = ServeConfig {
        addr: "127.0.0.1:0".parse().unwrap(),
        workers: 2,
        max_connections: 64,
    };
    clout::api::start(Arc::new(Snapshot::from_run(run)), &config).expect("server starts")
}

/// A response: status, headers (lower-case names), body.
pub(crate) struct Resp {
    pub(crate) status: u16,
    headers: Vec<(String, String)>,
    pub(crate) body: String,
}

impl Resp {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {:?}", self.body))
    }

    /// Checks the error shape and returns the message.
    fn error(&self, status: u16) -> String {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.header("content-type"), Some("application/json"));
        let v = self.json();
        assert_eq!(v["error"]["status"], status);
        v["error"]["message"].as_str().expect("message").to_owned()
    }
}

/// Sends one raw request on a fresh connection and reads the whole answer.
fn raw(addr: SocketAddr, request: &[u8]) -> Resp {
    let head_request = request.starts_with(b"HEAD ");
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request).unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    parse(&buf, head_request)
}

fn parse(buf: &[u8], head_request: bool) -> Resp {
    let text = String::from_utf8(buf.to_vec()).expect("UTF-8 response");
    let (head, body) = text.split_once("\r\n\r\n").expect("a response head");
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers: Vec<(String, String)> = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_ascii_lowercase(), v.trim().to_owned())
        })
        .collect();
    let resp = Resp {
        status,
        headers,
        body: body.to_owned(),
    };
    if let Some(len) = resp.header("content-length").filter(|_| !head_request) {
        assert_eq!(len.parse::<usize>().unwrap(), resp.body.len());
    }
    resp
}

fn request(addr: SocketAddr, method: &str, target: &str) -> Resp {
    let req = format!("{method} {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n");
    raw(addr, req.as_bytes())
}

pub(crate) fn get(addr: SocketAddr, target: &str) -> Resp {
    request(addr, "GET", target)
}

pub(crate) fn get_json(addr: SocketAddr, target: &str) -> Value {
    let r = get(addr, target);
    assert_eq!(r.status, 200, "{target}: {}", r.body);
    assert_eq!(r.header("content-type"), Some("application/json"));
    r.json()
}

#[test]
fn score_endpoint_matches_the_records() {
    let server = serve(fixture());
    let a = server.addr();
    let v = get_json(a, "/v2/user.json/tw:ada/score");
    assert_eq!(v["score"], 72.5);
    assert_eq!(v["bucket"], "70-79");
    assert_eq!(v["scoreDelta"]["dayChange"], 1.5);
    assert_eq!(v["scoreDelta"]["weekChange"], -2.0);
    assert!(v["scoreDelta"]["monthChange"].is_null());
    assert_eq!(
        get_json(a, "/v2/user.json/ig%3Abob/score")["bucket"],
        "40-49"
    );
    let cy = get_json(a, "/v2/user.json/tw%3Acy%26%3Ci%3E/score");
    assert_eq!(cy["score"], 9.5);
    assert_eq!(cy["bucket"], "1-9");
}

#[test]
fn user_and_identity_endpoints() {
    let server = serve(fixture());
    let a = server.addr();
    let u = get_json(a, "/v2/user.json/ig:bob");
    assert_eq!(u["id"], "ig:bob");
    assert_eq!(u["nick"], "bob");
    assert_eq!(u["person"], "p1");
    assert_eq!(u["score"]["score"], 45.0);
    assert_eq!(u["score"]["bucket"], "40-49");
    for target in [
        "/v2/identity.json/tw/ada",
        "/v2/identity.json/twitter/ADA",
        "/v2/identity.json/TW/Ada",
    ] {
        let v = get_json(a, target);
        assert_eq!(v["id"], "tw:ada", "{target}");
        assert_eq!(v["network"], "twitter");
        assert_eq!(v["person"], "p1");
    }
    assert_eq!(get_json(a, "/v2/identity.json/ig/bob")["id"], "ig:bob");
    assert!(get(a, "/v2/identity.json/tw/bob")
        .error(404)
        .contains("bob"));
    let msg = get(a, "/v2/identity.json/myspace/ada").error(404);
    assert!(
        msg.contains("unknown network") && msg.contains("instagram, twitter"),
        "{msg}"
    );
    // A known Klout code whose network is not in this run.
    assert!(get(a, "/v2/identity.json/fb/ada")
        .error(404)
        .contains("unknown network"));
}

#[test]
fn topics_endpoint_labels_from_the_run_and_the_taxonomy() {
    let server = serve(fixture());
    let v = get_json(server.addr(), "/v2/user.json/tw:ada/topics");
    let list = v.as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["slug"], "gardening");
    assert_eq!(list[0]["displayName"], "Gardening");
    assert_eq!(list[0]["path"], serde_json::json!(["hobbies", "gardening"]));
    assert_eq!(list[0]["expertise"], 3.25);
    assert_eq!(list[0]["evidence"], serde_json::json!(["post1"]));
    // No leaderboard for basketball: name and path come from the built-in taxonomy.
    assert_eq!(list[1]["displayName"], "Basketball");
    assert_eq!(
        list[1]["path"],
        serde_json::json!(["sports-and-recreation", "basketball"])
    );
    let bob = get_json(server.addr(), "/v2/user.json/ig:bob/topics");
    assert_eq!(bob, serde_json::json!([]));
}

#[test]
fn influence_endpoint_lists_ids_weights_and_payloads() {
    let server = serve(fixture());
    let v = get_json(server.addr(), "/v2/user.json/tw:ada/influence");
    let ers = v["myInfluencers"].as_array().unwrap();
    let ids: Vec<&str> = ers
        .iter()
        .map(|r| r["entity"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ig:bob", "ghost"]);
    assert_eq!(ers[0]["weight"], 0.75);
    assert_eq!(ers[0]["actions"], 4);
    assert_eq!(ers[0]["entity"]["payload"]["nick"], "bob");
    assert_eq!(ers[0]["entity"]["payload"]["score"]["score"], 45.0);
    assert!(
        ers[1]["entity"]["payload"].is_null(),
        "ghost is not in the run"
    );
    assert_eq!(v["myInfluencees"][0]["entity"]["id"], "tw:cy&<i>");
    assert_eq!(v["myInfluencees"][0]["weight"], 0.375);
    assert_eq!(v["myInfluencersCount"], 2);
    assert_eq!(v["myInfluenceesCount"], 1);
}

#[test]
fn leaders_endpoint_and_limits() {
    let server = serve(fixture());
    let a = server.addr();
    let v = get_json(a, "/v2/topics/gardening/leaders");
    assert_eq!(v["topic"]["slug"], "gardening");
    assert_eq!(v["topic"]["displayName"], "Gardening");
    assert_eq!(v["total"], 3);
    assert_eq!(v["limit"], 20);
    let ids: Vec<&str> = v["leaders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tw:ada", "tw:cy&<i>", "ig:bob"]);
    let first = &v["leaders"][0];
    assert_eq!(first["rank"], 1);
    assert_eq!(first["value"], 0.5);
    assert_eq!(first["expertise"], 1.0);
    assert_eq!(first["topicalImpact"], 0.005);
    assert_eq!(first["network"], "twitter");
    assert_eq!(first["nick"], "Ada");
    assert_eq!(first["score"]["bucket"], "70-79");
    let two = get_json(a, "/v2/topics/Gardening/leaders?limit=2&key=ignored");
    assert_eq!(two["leaders"].as_array().unwrap().len(), 2);
    assert_eq!(two["limit"], 2);
    assert_eq!(
        get_json(a, "/v2/topics/gardening/leaders?limit=100")["leaders"]
            .as_array()
            .unwrap()
            .len(),
        3
    );
    let topics = get_json(a, "/v2/topics");
    let slugs: Vec<&str> = topics["topics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["slug"].as_str().unwrap())
        .collect();
    assert_eq!(slugs, ["gardening", "cooking"]);
    assert_eq!(topics["topics"][1]["entries"], 1);
}

#[test]
fn explain_endpoint_has_ledger_and_evidence() {
    let server = serve(fixture());
    let v = get_json(server.addr(), "/v2/user.json/tw:ada/explain");
    assert_eq!(v["id"], "tw:ada");
    assert_eq!(v["asOf"], AS_OF);
    assert_eq!(v["trueReach"]["raw"], 12.5);
    assert_eq!(v["networkImpact"]["score"], 20.0);
    assert_eq!(v["ledger"]["engagedAccounts"], 3);
    assert_eq!(
        v["ledger"]["actionsByKind"],
        serde_json::json!([["share", 5], ["like", 2]])
    );
    assert!(v["ledger"]["following"].is_null());
    assert_eq!(v["ledger"]["formula"], "score = f(tw:ada)");
    let post = &v["topics"][0]["evidence"][0];
    assert_eq!(post["text"], "Compost <tips> & tricks");
    assert_eq!(post["reactors"], 7);
    // One run: the history is this run's score.
    assert_eq!(
        v["history"],
        serde_json::json!([{"asOf": AS_OF, "score": 72.5}])
    );
}

#[test]
fn bad_requests_get_json_errors_with_the_right_status() {
    let server = serve(fixture());
    let a = server.addr();
    for limit in ["0", "101", "abc", "-3", "99999999999999999999999", ""] {
        let msg = get(a, &format!("/v2/topics/gardening/leaders?limit={limit}")).error(400);
        assert!(msg.contains("limit"), "{msg}");
    }
    get(a, "/v2/topics/gardening/leaders?limit=1&limit=2").error(400);
    get(a, "/v2/user.json/%ff/score").error(400);
    // Ids may hold spaces (JSON-lines input accepts them): no such account, not a bad request.
    get(a, "/v2/user.json/a%20b/score").error(404);
    get(a, "/v2/identity.json/tw/a%20b").error(400);
    get(a, &format!("/v2/user.json/{}/score", "x".repeat(300))).error(400);
    assert!(get(a, "/v2/user.json/nobody/score")
        .error(404)
        .contains("nobody"));
    for ep in ["", "/topics", "/influence", "/explain"] {
        get(a, &format!("/v2/user.json/nobody{ep}")).error(404);
    }
    get(a, "/account/nobody").error(404);
    let msg = get(a, "/v2/topics/gardenin/leaders").error(404);
    assert!(msg.contains("closest: gardening"), "{msg}");
    get(a, "/?topic=nope").error(404);
    get(a, "/v3/whatever").error(404);
    get(a, "/v2/user.json/tw:ada/score/extra").error(404);
    for method in ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"] {
        let r = request(a, method, "/v2/user.json/tw:ada/score");
        assert!(r.error(405).contains("read-only"));
        assert_eq!(r.header("allow"), Some("GET, HEAD"));
    }
    get(a, &format!("/v2/user.json/{}/score", "a".repeat(5000))).error(414);
}

#[test]
fn oversized_or_garbled_requests_are_refused() {
    let server = serve(fixture());
    let a = server.addr();
    let big = format!(
        "GET / HTTP/1.1\r\nHost: t\r\nX-Big: {}\r\nConnection: close\r\n\r\n",
        "y".repeat(16 * 1024)
    );
    assert_eq!(raw(a, big.as_bytes()).status, 431);
    let r = raw(a, b"NOT HTTP AT ALL\r\n\r\n");
    assert_eq!(r.status, 400);
    // The server still answers afterwards.
    assert_eq!(get(a, "/v2/user.json/tw:ada/score").status, 200);
}

#[test]
fn head_sends_headers_without_a_body() {
    let server = serve(fixture());
    let r = request(server.addr(), "HEAD", "/v2/user.json/tw:ada/score");
    assert_eq!(r.status, 200);
    assert!(r.body.is_empty());
    let get_len = get(server.addr(), "/v2/user.json/tw:ada/score").body.len();
    assert_eq!(
        r.header("content-length"),
        Some(get_len.to_string().as_str())
    );
}

#[test]
fn keep_alive_serves_several_requests_on_one_connection() {
    let server = serve(fixture());
    let mut s = TcpStream::connect(server.addr()).unwrap();
    let req = "GET /v2/user.json/tw:ada/score HTTP/1.1\r\nHost: t\r\n\r\n";
    s.write_all(
        format!("{req}{req}GET /v2/topics HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n")
            .as_bytes(),
    )
    .unwrap();
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).unwrap();
    let text = String::from_utf8(buf).unwrap();
    assert_eq!(text.matches("HTTP/1.1 200 OK").count(), 3, "{text}");
}

#[test]
fn home_page_is_escaped_html_with_picker_and_links() {
    let server = serve(fixture());
    let a = server.addr();
    let r = get(a, "/");
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("text/html; charset=utf-8"));
    assert!(r
        .header("content-security-policy")
        .unwrap()
        .contains("default-src 'none'"));
    let b = &r.body;
    assert!(b.starts_with("<!DOCTYPE html>"));
    assert!(b.contains("<option value=\"gardening\">Gardening</option>"));
    assert!(b.contains("<option value=\"cooking\">Cooking</option>"));
    assert!(b.contains("href=\"/account/tw%3Aada\""));
    assert!(b.contains("tw:cy&amp;&lt;i&gt;"));
    assert!(b.contains("href=\"/account/tw%3Acy%26%3Ci%3E\""));
    assert!(!b.contains("<i>"), "unescaped markup from the data");
    assert!(b.contains("2023-11-14 22:13 UTC"));
    // Overall ranking: best score first.
    assert!(b.find("tw%3Aada").unwrap() < b.find("ig%3Abob").unwrap());
    let g = get(a, "/?topic=gardening&limit=2").body;
    assert!(g.contains("<option value=\"gardening\" selected>"));
    assert!(g.contains("tw%3Aada") && g.contains("tw%3Acy"));
    assert!(!g.contains("/account/ig%3Abob"), "limit=2 keeps two rows");
    assert!(g.contains("/v2/topics/gardening/leaders?limit=2"));
}

/// Issue 13: the picker's "All topics" submits `?topic=` (it was a 400); an id with a space
/// and a control character (which JSON-lines input accepts) is linked from the page, and its
/// account page and API answers are reachable percent-encoded (they were 400).
#[test]
fn all_topics_option_and_ids_with_spaces_or_control_characters() {
    let mut run = fixture();
    let odd = "tw:odd one\u{7}";
    run.accounts.push(account(odd, "twitter", "odd", odd, 5.0));
    let server = serve(run);
    let a = server.addr();
    let home = get(a, "/?topic=&limit=20");
    assert_eq!(home.status, 200, "{}", home.body);
    assert!(home.body.contains("<option value=\"\">All topics"));
    assert!(
        home.body.contains("href=\"/account/tw%3Aodd%20one%07\""),
        "{}",
        home.body
    );
    assert_eq!(get(a, "/account/tw%3Aodd%20one%07").status, 200);
    let j = get_json(a, "/v2/user.json/tw%3Aodd%20one%07/score");
    assert_eq!(j["score"], 5.0);
    assert_eq!(get(a, "/v2/user.json/%20/score").status, 404);
}

#[test]
fn account_page_explains_with_evidence() {
    let server = serve(fixture());
    let r = get(server.addr(), "/account/tw%3Aada");
    assert_eq!(r.status, 200);
    let b = &r.body;
    assert!(b.contains("<h1>tw:ada</h1>"));
    assert!(b.contains("Score 72.5"));
    assert!(b.contains("70-79"));
    assert!(b.contains("Compost &lt;tips&gt; &amp; tricks"));
    assert!(b.contains("score = f(tw:ada)"));
    assert!(b.contains("share 5, like 2"));
    assert!(b.contains("href=\"/?topic=gardening\""));
    assert!(b.contains("href=\"/account/ig%3Abob\""));
    assert!(b.contains("day +1.5 · week -2.0 · month –"));
    assert!(!b.contains("<i>"));
    let cy = get(server.addr(), "/account/tw%3Acy%26%3Ci%3E");
    assert_eq!(cy.status, 200);
    assert!(cy.body.contains("<h1>tw:cy&amp;&lt;i&gt;</h1>"));
}

/// Follows `$ref`s within the document.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v["$ref"].as_str() {
        Some(r) => {
            let ptr = r.strip_prefix('#').expect("local ref");
            resolve(
                doc,
                doc.pointer(ptr).unwrap_or_else(|| panic!("dangling {r}")),
            )
        }
        None => v,
    }
}

/// The `required` keys of a schema (through `allOf`).
fn required<'a>(doc: &'a Value, schema: &'a Value, out: &mut Vec<&'a str>) {
    let s = resolve(doc, schema);
    if let Some(all) = s["allOf"].as_array() {
        for part in all {
            required(doc, part, out);
        }
    }
    if let Some(req) = s["required"].as_array() {
        out.extend(req.iter().map(|k| k.as_str().unwrap()));
    }
}

#[test]
fn openapi_documents_every_endpoint_and_each_answers() {
    let server = serve(fixture());
    let a = server.addr();
    let doc = get_json(a, "/openapi.json");
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    let documented: Vec<&str> = paths.keys().map(String::as_str).collect();
    for p in [
        "/v2/identity.json/{network}/{handle}",
        "/v2/user.json/{id}",
        "/v2/user.json/{id}/score",
        "/v2/user.json/{id}/topics",
        "/v2/user.json/{id}/influence",
        "/v2/user.json/{id}/explain",
        "/v2/user.json/{id}/badges",
        "/v2/topics",
        "/v2/topics/{slug}/leaders",
        "/v2/topics/{slug}/campaign",
        "/campaign",
        "/",
        "/account/{id}",
        "/openapi.json",
    ] {
        assert!(documented.contains(&p), "{p} is not documented");
    }
    for (path, item) in paths {
        let op = &item["get"];
        assert!(op.is_object(), "{path}: only GET is served");
        let target = path
            .replace("{id}", "tw%3Aada")
            .replace("{network}", "tw")
            .replace("{handle}", "ada")
            .replace("{slug}", "gardening");
        let r = get(a, &target);
        assert_eq!(r.status, 200, "{target}: {}", r.body);
        let ok = &op["responses"]["200"]["content"];
        let (media, content) = ok.as_object().unwrap().iter().next().unwrap();
        assert_eq!(
            r.header("content-type").unwrap().split(';').next(),
            Some(media.as_str())
        );
        if media == "application/json" {
            let body = r.json();
            let schema = resolve(&doc, &content["schema"]);
            let row = if schema["type"] == "array" {
                match body.as_array().unwrap().first() {
                    Some(first) => (first.clone(), &schema["items"]),
                    None => continue,
                }
            } else {
                (body, &content["schema"])
            };
            let mut keys = Vec::new();
            required(&doc, row.1, &mut keys);
            for k in keys {
                assert!(
                    row.0.get(k).is_some(),
                    "{target}: missing documented field {k}"
                );
            }
        }
        // Every documented error status is produced for a bad value of the parameters.
        for status in op["responses"].as_object().unwrap().keys() {
            assert!(
                ["200", "400", "404", "414"].contains(&status.as_str()),
                "{path}: {status}"
            );
        }
    }
}

#[test]
fn empty_run_answers_gracefully() {
    let server = serve(RunData::default());
    let a = server.addr();
    get(a, "/v2/user.json/tw:ada/score").error(404);
    let msg = get(a, "/v2/topics/gardening/leaders").error(404);
    assert!(msg.contains("no topic leaderboards"), "{msg}");
    assert_eq!(get_json(a, "/v2/topics")["topics"], serde_json::json!([]));
    let home = get(a, "/");
    assert_eq!(home.status, 200);
    assert!(home.body.contains("This run has no accounts."));
    get(a, "/v2/identity.json/tw/ada").error(404);
}

#[test]
fn concurrent_clients_get_consistent_answers() {
    let server = serve(fixture());
    let a = server.addr();
    let threads: Vec<_> = (0..8)
        .map(|i| {
            std::thread::spawn(move || {
                for _ in 0..25 {
                    let (target, want) = if i % 2 == 0 {
                        ("/v2/user.json/tw:ada/score", 72.5)
                    } else {
                        ("/v2/user.json/ig:bob/score", 45.0)
                    };
                    assert_eq!(get_json(a, target)["score"], want);
                }
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
}

#[test]
fn shutdown_frees_the_port() {
    let server = serve(fixture());
    let a = server.addr();
    assert_eq!(get(a, "/v2/topics").status, 200);
    server.shutdown();
    assert!(
        TcpStream::connect(a).is_err(),
        "still listening after shutdown"
    );
}

/// `clout serve` as a process over a store written by `clout::store` (three daily runs of the
/// store's fixture): it serves the latest run, with each account's history from the store.
pub(crate) mod cli {
    use super::*;
    use clout::store::{fixture, Store};
    use std::io::BufRead;
    use std::process::{Child, Command, Stdio};

    const T0: i64 = 1_700_006_400; // 2023-11-15T00:00:00Z
    const DAY: i64 = 86_400;

    /// Kills the server when the test ends, whatever happens.
    pub(crate) struct Serve(Child);
    impl Drop for Serve {
        fn drop(&mut self) {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }

    pub(crate) fn spawn(store: &std::path::Path) -> (Serve, SocketAddr) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_clout"))
            .args(["serve", "--store"])
            .arg(store)
            .args(["--addr", "127.0.0.1:0", "--workers", "1"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("clout serve starts");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let serve = Serve(child);
        let addr = line
            .split("http://")
            .nth(1)
            .and_then(|r| r.split_whitespace().next())
            .unwrap_or_else(|| panic!("no address in {line:?}"))
            .parse()
            .unwrap();
        (serve, addr)
    }

    #[test]
    fn serve_answers_from_the_latest_stored_run() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("runs.store");
        let store = Store::create(&path).unwrap();
        for k in 0..3 {
            store.write_run(&fixture::sample_run(T0 + k * DAY)).unwrap();
        }
        drop(store);
        let latest = fixture::sample_run(T0 + 2 * DAY);
        let (_serve, addr) = spawn(&path);

        for rec in &latest.accounts {
            let target = format!("/v2/user.json/{}/score", rec.account.id);
            let v = get_json(addr, &target);
            let got = v["score"].as_f64().unwrap();
            assert!(
                (got - rec.score).abs() < 1e-9,
                "{target}: {got} vs {}",
                rec.score
            );
            let week = v["scoreDelta"]["weekChange"].as_f64();
            assert_eq!(week, rec.delta.week, "{target}");
        }
        // The leaders are the stored board's, in order.
        let v = get_json(addr, "/v2/topics/gardening/leaders?limit=10");
        let board = latest.leaderboard("gardening").unwrap();
        let ids: Vec<&str> = v["leaders"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["id"].as_str().unwrap())
            .collect();
        let want: Vec<&str> = board.entries.iter().map(|e| e.account.as_str()).collect();
        assert_eq!(ids, want);
        // History: one point per stored run, oldest first, each that day's fixture score.
        let v = get_json(addr, "/v2/user.json/tw:ada/explain");
        let hist: Vec<f64> = v["history"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["score"].as_f64().unwrap())
            .collect();
        let want: Vec<f64> = (0..3)
            .map(|k| 80.0 + fixture::shift(T0 + k * DAY))
            .collect();
        assert_eq!(hist.len(), 3);
        for (g, w) in hist.iter().zip(&want) {
            assert!((g - w).abs() < 1e-9, "{hist:?} vs {want:?}");
        }
        assert_eq!(get(addr, "/v2/user.json/tw:nobody/score").status, 404);
    }

    #[test]
    fn serve_refuses_an_empty_or_missing_store() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.store");
        Store::create(&empty).unwrap();
        for (path, what) in [
            (empty.clone(), "holds no run"),
            (dir.path().join("missing.store"), "missing.store"),
        ] {
            let o = Command::new(env!("CARGO_BIN_EXE_clout"))
                .args(["serve", "--store"])
                .arg(&path)
                .args(["--addr", "127.0.0.1:0"])
                .output()
                .unwrap();
            let err = String::from_utf8_lossy(&o.stderr);
            assert!(!o.status.success(), "{}", path.display());
            assert!(err.contains(what), "{err}");
        }
    }
}

/// Issue 13: schemathesis (`--checks all`) finds no mismatch between the OpenAPI document
/// and what `clout serve` answers on the demo run. Needs `schemathesis` (PyPI; `.ci/run`
/// installs it): under CI its absence fails the test, elsewhere it skips with a message.
#[test]
fn schemathesis_finds_no_mismatch_with_the_openapi_document() {
    let st = std::env::var("SCHEMATHESIS").unwrap_or_else(|_| "schemathesis".into());
    if Command::new(&st).arg("--version").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "{st} is missing under CI"
        );
        eprintln!("skipping: {st} not found (pip install schemathesis)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("demo.store");
    let s = store.to_str().unwrap();
    let demo = crate::common::repo("data/demo");
    let o = crate::common::clout(
        &["run", demo.to_str().unwrap(), "--store", s, "--quiet"],
        None,
    );
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let addr = format!("127.0.0.1:{port}");
    let mut server = Command::new(env!("CARGO_BIN_EXE_clout"))
        .args(["serve", "--store", s, "--addr", &addr, "--quiet"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let up = (0..100).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(&addr).is_ok()
    });
    let out = up.then(|| {
        Command::new(&st)
            .current_dir(dir.path()) // its cache stays out of the checkout
            .args([
                "run",
                &format!("http://{addr}/openapi.json"),
                "--checks",
                "all",
            ])
            .args(["--max-examples", "30", "--seed", "1"])
            .output()
            .unwrap()
    });
    server.kill().ok();
    server.wait().ok();
    let out = out.expect("clout serve did not start");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
