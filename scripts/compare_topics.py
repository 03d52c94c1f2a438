#!/usr/bin/env python3
"""Side-by-side topic classification: clout vs scikit-learn's TF-IDF baselines, same splits.

In one run, on the shared data (`$CLOUT_DATA_DIR`, default ../shared/data):
  * TweetTopicXL English: trained on en_train + en_validation (200 tweets), tested on en_test
    (800): clout `topics train` (lr, nb) then `topics eval --model`; scikit-learn
    TfidfVectorizer + one-vs-rest LogisticRegression / MultinomialNB (threshold 0.5).
  * BBC News, 5-fold cross-validation with clout's documented folds: articles in byte order of
    label folder then file name, article i in fold i mod 5; accuracy pooled over the folds.
    clout `topics eval --folds 5` (lr, nb); scikit-learn TfidfVectorizer + LogisticRegression /
    MultinomialNB (multi-class) on exactly those folds.
  * BBC zero-shot from clout's built-in taxonomy alone (`topics eval`, no training).
  * Speed: short posts (BBC titles, repeated to --posts) classified with a model trained on all
    of BBC: clout `topics classify --model` end to end (read JSON lines, analyse, classify,
    write JSON lines) vs scikit-learn's vectorize + predict in memory.

Usage: python3 scripts/compare_topics.py [--clout target/release/clout] [--posts 200000]
Needs: scikit-learn (pip install -r scripts/requirements-topics.txt); a release build of clout
(cargo build --release). Not part of `cargo test`.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def data_dir():
    return Path(os.environ.get("CLOUT_DATA_DIR", ROOT.parent / "shared" / "data"))


def clout(binary, *args):
    p = subprocess.run([str(binary), *map(str, args)], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"clout {' '.join(map(str, args))} failed:\n{p.stderr}")
    return p


def clout_eval(binary, *args):
    return json.loads(clout(binary, "topics", "eval", "--json", *args).stdout)


def read_tweet_topic(path):
    texts, labels = [], []
    for line in open(path, encoding="utf-8"):
        if not line.strip():
            continue
        d = json.loads(line)
        texts.append(d["text"])
        labels.append(sorted(k for k, v in d.items()
                             if k not in ("id", "text") and isinstance(v, int) and v == 1))
    return texts, labels


def read_bbc(path):
    """clout's folder order: label folders, then files, in byte order of their names."""
    texts, labels = [], []
    for label in sorted(p.name for p in path.iterdir() if p.is_dir() and not p.name.startswith(".")):
        for f in sorted(p.name for p in (path / label).iterdir() if p.is_file()):
            texts.append((path / label / f).read_bytes().decode("utf-8", errors="replace"))
            labels.append(label)
    return texts, labels


def sk_models():
    from sklearn.linear_model import LogisticRegression
    from sklearn.naive_bayes import MultinomialNB
    return {"lr": lambda: LogisticRegression(max_iter=1000), "nb": lambda: MultinomialNB()}


def tweet_topic(binary, tmp):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics import f1_score
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer

    d = data_dir() / "text" / "tweet-topic-xl"
    train = tmp / "tt_train.jsonl"
    train.write_bytes((d / "en_train.jsonl").read_bytes() + (d / "en_validation.jsonl").read_bytes())
    xtr, ytr = read_tweet_topic(train)
    xte, yte = read_tweet_topic(d / "en_test.jsonl")
    mlb = MultiLabelBinarizer().fit(ytr + yte)
    rows = []
    for algo, make in sk_models().items():
        model = tmp / f"tt_{algo}.model"
        clout(binary, "topics", "train", "--input", train, "--out", model, "--algorithm", algo)
        ours = clout_eval(binary, "--model", model, "--input", d / "en_test.jsonl")
        vec = TfidfVectorizer()
        clf = OneVsRestClassifier(make()).fit(vec.fit_transform(xtr), mlb.transform(ytr))
        pred = clf.predict(vec.transform(xte))
        truth = mlb.transform(yte)
        sk = {"macro_f1": f1_score(truth, pred, average="macro", zero_division=0),
              "micro_f1": f1_score(truth, pred, average="micro", zero_division=0)}
        rows.append((f"TweetTopicXL en, {algo}: macro-F1", ours["macro_f1"], sk["macro_f1"]))
        rows.append((f"TweetTopicXL en, {algo}: micro-F1", ours["micro_f1"], sk["micro_f1"]))
    return rows


def bbc(binary):
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    path = data_dir() / "text" / "bbc"
    texts, labels = read_bbc(path)
    labels = np.array(labels)
    folds = np.arange(len(texts)) % 5
    rows = []
    for algo, make in sk_models().items():
        ours = clout_eval(binary, "--folds", 5, "--algorithm", algo, "--input", path)
        correct = 0
        for f in range(5):
            tr, te = folds != f, folds == f
            vec = TfidfVectorizer()
            xtr = vec.fit_transform([t for t, k in zip(texts, tr) if k])
            clf = make().fit(xtr, labels[tr])
            correct += int((clf.predict(vec.transform([t for t, k in zip(texts, te) if k])) == labels[te]).sum())
        rows.append((f"BBC 5-fold, {algo}: accuracy", ours["accuracy"], correct / len(texts)))
    zs = clout_eval(binary, "--input", path)
    rows.append(("BBC zero-shot (builtin taxonomy): accuracy", zs["accuracy"], None))
    return rows, texts, labels


def speed(binary, tmp, texts, labels, n_posts):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression

    titles = [t.split("\n", 1)[0].strip() for t in texts]
    posts = [titles[i % len(titles)] for i in range(n_posts)]
    posts_file = tmp / "posts.jsonl"
    with open(posts_file, "w", encoding="utf-8") as f:
        for i, p in enumerate(posts):
            f.write(json.dumps({"id": str(i), "text": p}) + "\n")
    model = tmp / "bbc.model"
    clout(binary, "topics", "train", "--input", data_dir() / "text" / "bbc", "--out", model)
    out = tmp / "out.jsonl"
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        clout(binary, "topics", "classify", "--model", model, "--input", posts_file, "--json", "--out", out)
        best = min(best, time.perf_counter() - t)
    vec = TfidfVectorizer()
    clf = LogisticRegression(max_iter=1000).fit(vec.fit_transform(texts), labels)
    sk_best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        clf.predict(vec.transform(posts))
        sk_best = min(sk_best, time.perf_counter() - t)
    return n_posts / best, n_posts / sk_best


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--clout", default=ROOT / "target" / "release" / "clout")
    ap.add_argument("--posts", type=int, default=200_000)
    args = ap.parse_args()
    binary = Path(args.clout)
    if not binary.exists():
        sys.exit(f"{binary} not found: build it with `cargo build --release` or pass --clout")
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        rows = tweet_topic(binary, tmp)
        bbc_rows, texts, labels = bbc(binary)
        rows += bbc_rows
        ours_speed, sk_speed = speed(binary, tmp, texts, labels, args.posts)
    print(f"| {'measure':<44} | {'clout':>7} | {'scikit-learn':>12} |")
    print(f"|{'-' * 46}|{'-' * 9}|{'-' * 14}|")
    for name, ours, sk in rows:
        sk_s = f"{sk:.4f}" if sk is not None else "—"
        print(f"| {name:<44} | {ours:>7.4f} | {sk_s:>12} |")
    print()
    print(f"speed, {args.posts} short posts (BBC titles), {os.cpu_count()} cores:")
    print(f"  clout topics classify --model (read JSON, classify, write JSON): {ours_speed:,.0f} posts/s")
    print(f"  scikit-learn vectorize + predict (in memory):                    {sk_speed:,.0f} posts/s")
    print(f"  ratio: {ours_speed / sk_speed:.1f}x")


if __name__ == "__main__":
    main()
