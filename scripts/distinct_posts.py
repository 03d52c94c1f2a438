#!/usr/bin/env python3
"""Writes the distinct real short posts of the `topics_distinct` bench as JSON lines
`{"id","text"}`: every TweetTopicXL English tweet (train, validation, test) and every
sentence of BBC News (lines cut after `.`, `!` or `?` followed by a space), each once, in
that order (the bench's `setup()`, benches/topics.rs).

Usage: scripts/distinct_posts.py DATA_DIR OUT.jsonl [REPEAT]
DATA_DIR is the shared data folder (holding text/tweet-topic-xl and text/bbc); REPEAT
(default 1) writes the corpus that many times, ids made unique, for longer throughput runs.
"""
import json
import os
import sys


def sentences(text):
    for line in text.splitlines():
        start = 0
        for i, ch in enumerate(line):
            if ch in ".!?" and line[i + 1 : i + 2] == " ":
                yield line[start : i + 1].strip()
                start = i + 1
        yield line[start:].strip()


def tweets(data):
    d = os.path.join(data, "text", "tweet-topic-xl")
    for part in ("en_train", "en_validation", "en_test"):
        with open(os.path.join(d, part + ".jsonl"), encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    yield json.loads(line)["text"]


def bbc(data):
    d = os.path.join(data, "text", "bbc")
    for label in sorted(os.listdir(d)):
        sub = os.path.join(d, label)
        if not os.path.isdir(sub):
            continue
        for name in sorted(os.listdir(sub)):
            path = os.path.join(sub, name)
            if os.path.isfile(path):
                with open(path, "rb") as f:
                    text = f.read().decode("utf-8", errors="replace")
                yield from (s for s in sentences(text) if s)


def main():
    data, out = sys.argv[1], sys.argv[2]
    repeat = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    seen, posts = set(), []
    for t in list(tweets(data)) + list(bbc(data)):
        if t not in seen:
            seen.add(t)
            posts.append(t)
    with open(out, "w", encoding="utf-8") as f:
        for r in range(repeat):
            for i, t in enumerate(posts):
                pid = str(i) if repeat == 1 else f"{r}-{i}"
                f.write(json.dumps({"id": pid, "text": t}, ensure_ascii=False) + "\n")
    print(f"{len(posts)} distinct posts, {len(posts) * repeat} lines", file=sys.stderr)


if __name__ == "__main__":
    main()
