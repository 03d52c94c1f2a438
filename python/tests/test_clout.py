"""The Python package against independent references: networkx on the same graphs (PageRank,
core numbers, modularity of clout's own partition), hand-computed cases, and the clout command
line on the same inputs (scores, a stored run's leaderboard and history)."""

import json
import os
import subprocess
import time
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clout

REPO = Path(__file__).resolve().parents[2]
BINARY = Path(os.environ.get("CLOUT_BIN", REPO / "target" / "release" / "clout"))


def shared(rel):
    """A file of the shared datasets; under CI a missing one fails, elsewhere it skips."""
    base = Path(os.environ.get("CLOUT_DATA_DIR", REPO.parent / "shared" / "data"))
    path = base / rel
    if not path.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"shared data {path} is missing under CI")
        pytest.skip(f"shared data {path} not found (set CLOUT_DATA_DIR)")
    return path


def cli(*args):
    if not BINARY.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{BINARY} is missing under CI (cargo build --release)")
        pytest.skip(f"{BINARY} not built")
    p = subprocess.run([str(BINARY), "--quiet", *args], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    return p.stdout


@pytest.fixture
def triangles(tmp_path):
    f = tmp_path / "g.txt"
    f.write_text("a b\nb c\nc a\nd e\ne f\nf d\nc d\n")
    return f


def nx_graph(path, undirected):
    g = nx.Graph() if undirected else nx.DiGraph()
    opener = __import__("gzip").open if str(path).endswith(".gz") else open
    with opener(path, "rt") as fh:
        for line in fh:
            if line.startswith("#") or not line.strip():
                continue
            a, b = line.split()[:2]
            g.add_node(a)
            g.add_node(b)
            if a != b:
                g.add_edge(a, b)
    return g


def test_read_graph_and_pagerank_equal_networkx_on_email_eu_core():
    path = shared("graphs/email-eu-core/email-Eu-core.txt")
    for undirected in (False, True):
        g = clout.read_graph(path, undirected=undirected)
        ref = nx_graph(path, undirected)
        assert g.num_nodes == ref.number_of_nodes()
        assert g.num_edges == ref.number_of_edges()
        ranks = g.pagerank(tol=1e-12, max_iter=1000)
        assert isinstance(ranks, np.ndarray) and ranks.dtype == np.float64
        want = nx.pagerank(ref, tol=1e-12, max_iter=1000)
        got = dict(zip(g.ids, ranks))
        assert max(abs(got[k] - v) for k, v in want.items()) < 1e-9
    top = g.pagerank(frame=True)
    assert list(top.columns) == ["id", "pagerank"]
    assert top["pagerank"].is_monotonic_decreasing


def test_centrality_frame_matches_networkx(triangles):
    g = clout.read_graph(triangles, undirected=True)
    df = g.centrality("degree,core,triangles,betweenness")
    ref = nx_graph(triangles, True)
    assert list(df.columns[:1]) == ["id"]
    by_id = df.set_index("id")
    assert by_id["core"].to_dict() == nx.core_number(ref)
    assert by_id["triangles"].to_dict() == nx.triangles(ref)
    bc = nx.betweenness_centrality(ref)
    assert all(abs(by_id.loc[k, "betweenness"] - v) < 1e-12 for k, v in bc.items())


def test_communities_by_hand_and_modularity_as_networkx():
    path = shared("graphs/email-eu-core/email-Eu-core.txt")
    g = clout.read_graph(path)
    for method in ("leiden", "louvain", "label-propagation"):
        df = g.communities(method=method, seed=1)
        assert list(df.columns) == ["id", "community"] and len(df) == g.num_nodes
        assert df.attrs["sizes"] == sorted(df["community"].value_counts().tolist(), reverse=True)
        groups = df.groupby("community")["id"].apply(set).tolist()
        nxq = nx.community.modularity(nx_graph(path, True), groups)
        assert abs(df.attrs["modularity"] - nxq) < 1e-12
    again = g.communities(method="leiden", seed=1)
    assert again.equals(g.communities(method="leiden", seed=1))


def test_two_triangles_by_hand(triangles):
    df = clout.read_graph(triangles).communities()
    assert df.attrs["sizes"] == [3, 3]
    assert abs(df.attrs["modularity"] - (6 / 7 - 0.5)) < 1e-12
    c = dict(zip(df["id"], df["community"]))
    assert c["a"] == c["b"] == c["c"] != c["d"]


def score_cli(*args):
    out = cli("score", *args, "--csv", "--no-cache")
    df = pd.read_csv(__import__("io").StringIO(out), keep_default_na=False, dtype={"id": str})
    # An empty change cell is a change that is not defined: NaN, as Python gives it.
    for col in DELTAS:
        df[col] = pd.to_numeric(df[col], errors="coerce")
    return df


def assert_same_scores(df, csv, columns):
    assert len(df) == len(csv)
    assert df["id"].tolist()[:50] == csv["id"].tolist()[:50]
    merged = df.merge(csv, on="id", suffixes=("", "_cli"))
    for col in columns:
        assert (merged[col].isna() == merged[f"{col}_cli"].isna()).all(), col
        # The command line rounds to 2 decimals.
        assert (merged[col] - merged[f"{col}_cli"]).abs().fillna(0).max() <= 0.005 + 1e-9, col


DELTAS = ["delta_day", "delta_week", "delta_month"]


def test_score_equals_the_command_line(tmp_path):
    demo = REPO / "data" / "demo"
    inter, follows = demo / "interactions.txt", demo / "follows.txt"
    # The demo spans two networks: one row per person, as the command line gives.
    with pytest.warns(UserWarning, match="follow records involve accounts"):
        people = clout.score(interactions=inter, follows=follows)
    csv = score_cli("--interactions", str(inter), "--follows", str(follows))
    assert list(people.columns) == list(csv.columns)
    networks = [c for c in csv.columns if c not in ["id", "score", "percentile"] + DELTAS]
    assert len(networks) == 2
    assert_same_scores(people, csv, ["score", "percentile"] + networks + DELTAS)
    # One network: one row per account with every column of the command line.
    one = tmp_path / "tw.txt"
    one.write_text("".join(line for line in inter.open() if line.split()[5] == "twitter"))
    accounts = clout.score(interactions=one)
    csv = score_cli("--interactions", str(one))
    assert list(accounts.columns) == list(csv.columns)
    assert_same_scores(accounts, csv, ["score", "percentile", "true_reach_sub",
                                       "amplification_sub", "network_impact_sub"] + DELTAS)
    for col in ["true_reach", "posts", "posts_acted_on"]:
        assert accounts[col].dtype.kind == "u", col
        assert (accounts[col].to_numpy() == csv[col].to_numpy()).all(), col
    quick = clout.score(interactions=one, deltas=False)
    assert quick[DELTAS].isna().all().all()
    assert (quick["score"] == accounts["score"]).all()


def test_store_leaderboard_and_history_equal_the_command_line(tmp_path):
    store = tmp_path / "runs.store"
    cli("run", str(REPO / "data" / "demo"), "--store", str(store), "--keywords", "--show", "0")
    s = clout.Store(store)
    assert len(s.runs()) == 1
    board = s.leaderboard("gardening", n=10)
    top = json.loads(cli("top", "--topic", "gardening", "--store", str(store), "-n", "10",
                         "--json"))
    entries = top["entries"] if isinstance(top, dict) else top
    assert board["account"].tolist() == [e["account"] for e in entries]
    account = board["account"][0]
    hist = s.history(account)
    assert list(hist.columns) == ["as_of", "score", "window"] and len(hist) == 1
    assert hist["window"][0] == 90 * 86400
    assert abs(hist["score"][0] - board["score"][0]) < 1e-9


def test_errors_are_clout_errors_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("a b\nc d 1 2 3 x\n")
    with pytest.raises(clout.CloutError, match=r"bad.txt:2"):
        clout.read_graph(bad, weighted=True)
    with pytest.raises(clout.CloutError, match="valid methods"):
        clout.read_graph(tmp_path / "bad.txt", lenient=True).communities(method="walktrap")
    with pytest.raises(clout.CloutError, match="unknown measure"):
        clout.read_graph(bad, lenient=True).centrality("fame")
    with pytest.raises(clout.CloutError):
        clout.Store(tmp_path / "missing.store").leaderboard("gardening")


def test_the_gil_is_released_while_clout_computes():
    """A Python thread keeps running while another waits on clout: counted against its rate
    alone, it gets most of the call's time (holding the GIL, it would get almost none)."""
    import threading

    g = clout.read_graph(shared("graphs/email-eu-core/email-Eu-core.txt"))

    def spin(seconds):
        n, end = 0, time.perf_counter() + seconds
        while time.perf_counter() < end:
            n += 1
        return n

    rate = spin(0.2) / 0.2
    done = threading.Event()
    span = {}

    def work():
        t = time.perf_counter()
        for _ in range(5):
            g.centrality("betweenness")
        span["s"] = time.perf_counter() - t
        done.set()

    th = threading.Thread(target=work)
    th.start()
    n = 0
    while not done.is_set():
        n += 1
    th.join()
    assert n / (rate * span["s"]) > 0.4, (n, rate, span)
