#!/usr/bin/env python3
"""Bluesky Jetstream reading speed: clout vs Python (json + pandas) on the same file, one run.

Generates the synthetic demo as Jetstream (`clout generate social --format bluesky`), then:
  * clout: `clout import FILE --out DIR` (detect, parse in parallel, apply deletes in order,
    write clout's files), the whole process timed, best of --repeat;
  * Python: json.loads of every line, and the same mapping (posts, likes, reposts, replies,
    quotes, mentions, follows) into lists, then pandas DataFrames; timed the same way.
It checks both found the same number of interactions, posts and follows and prints MB/s and
the ratio.

Usage: python3 scripts/compare_jetstream.py [--accounts 30000] [--repeat 3]
Needs: pandas (pip install pandas); a release build of clout (cargo build --release).
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
POST = "app.bsky.feed.post"


def author(uri):
    return uri[len("at://"):].split("/", 1)[0]


def python_read(path):
    """The same records clout reads, with deletes, into pandas DataFrames."""
    import pandas as pd

    made = {}
    with open(path, "rb") as f:
        for line in f:
            e = json.loads(line)
            if e.get("kind") != "commit":
                continue
            c = e["commit"]
            did, t = e["did"], e["time_us"] // 1_000_000
            key = f"{did}/{c['collection']}/{c['rkey']}"
            if c["operation"] == "delete":
                made.pop(key, None)
                continue
            r, coll = c["record"], c["collection"]
            acts, posts, follows = [], [], []
            if coll == POST:
                posts.append((f"at://{did}/{POST}/{c['rkey']}", did, t, r["text"]))
                parent = (r.get("reply") or {}).get("parent")
                if parent:
                    acts.append((did, author(parent["uri"]), "reply", t))
                for facet in r.get("facets") or []:
                    for feat in facet.get("features", []):
                        if feat.get("$type", "").endswith("#mention"):
                            acts.append((did, feat["did"], "mention", t))
            elif coll in ("app.bsky.feed.like", "app.bsky.feed.repost"):
                kind = "like" if coll.endswith("like") else "share"
                acts.append((did, author(r["subject"]["uri"]), kind, t))
            elif coll == "app.bsky.graph.follow":
                follows.append((did, r["subject"]))
            made[key] = (acts, posts, follows)
    acts = [a for m in made.values() for a in m[0]]
    posts = [p for m in made.values() for p in m[1]]
    follows = [x for m in made.values() for x in m[2]]
    return (
        pd.DataFrame(acts, columns=["actor", "target", "kind", "time"]),
        pd.DataFrame(posts, columns=["id", "author", "time", "text"]),
        pd.DataFrame(follows, columns=["follower", "followee"]),
    )


def best(f, repeat):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t)
    return min(times), out


def lines(path):
    return sum(1 for _ in open(path, "rb"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--accounts", type=int, default=30000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--clout", default=str(ROOT / "target/release/clout"))
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "bsky"
        subprocess.run([a.clout, "generate", "social", "--accounts", str(a.accounts),
                        "--seed", "2", "--format", "bluesky", "--out", str(data), "--quiet"], check=True)
        path = data / "jetstream.jsonl"
        mb = path.stat().st_size / 1e6
        out = Path(tmp) / "imported"

        def clout():
            subprocess.run([a.clout, "import", str(path), "--out", str(out), "--quiet"], check=True)

        t_clout, _ = best(clout, a.repeat)
        t_py, (acts, posts, follows) = best(lambda: python_read(path), a.repeat)
        want = (lines(out / "interactions.txt"), lines(out / "posts.jsonl"), lines(out / "follows.txt"))
        got = (len(acts), len(posts), len(follows))
        # clout also counts a quote as a share; the demo has none, so the counts must agree.
        if want != got:
            sys.exit(f"clout read {want} (interactions, posts, follows), Python {got}")
        print(f"file: {path.name}, {mb:.1f} MB, {lines(path)} events; records {want}")
        print(f"clout import : {t_clout:6.2f} s  {mb / t_clout:7.1f} MB/s")
        print(f"python+pandas: {t_py:6.2f} s  {mb / t_py:7.1f} MB/s")
        print(f"clout is {t_py / t_clout:.1f}x faster")


if __name__ == "__main__":
    main()
