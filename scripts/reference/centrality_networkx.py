#!/usr/bin/env python3
"""Produce networkx reference values for `clout graph centrality`.

For each selected real graph this script

1. parses the edge list itself (gzip detected by magic bytes; trailing '\\r'
   stripped; blank lines and lines starting with '#' skipped; tokens split on
   whitespace, the first two are the edge, any further column ignored; node ids
   are the literal token strings),
2. applies clout's graph semantics: every id on an edge line is a node,
   self-loops are dropped (the node stays), duplicate edges merge; read as
   directed (``nx.DiGraph``) or, for ``--undirected`` entries, as
   ``nx.Graph`` (``a b`` and ``b a`` are one edge),
3. computes every measure with networkx's own function and its definition:
   degree (in, out, total), ``nx.pagerank`` (tol 1e-12), ``nx.hits`` (svds to
   machine precision), ``nx.eigenvector_centrality`` and
   ``nx.katz_centrality`` (tol 1e-14; Katz's alpha is 0.5/lambda_max, so that
   the series converges, and is written to the file), ``nx.core_number``,
   ``nx.triangles`` and ``nx.clustering`` (triangles on undirected graphs
   only; clustering on directed graphs is networkx's directed clustering),
   ``nx.harmonic_centrality`` and exact ``nx.betweenness_centrality``
   (normalized),
4. for the weighted entries (``*-weighted``): reads only the first two columns
   of each line as an edge of weight 1 and merges duplicates by adding their
   weights, as ``clout --weighted`` does on a two-column file (CollegeMsg: the
   weight of ``a b`` is the number of messages from a to b; undirected, those
   of ``a b`` and ``b a`` together), then computes
   ``nx.harmonic_centrality(G, distance="weight")`` and
   ``nx.betweenness_centrality(G, weight="weight")`` (Dijkstra, the weights as
   distances; integer weights, so every summed distance is exact),
5. writes ``<out-dir>/<name>.json``: integer measures as full arrays aligned
   with ``ids`` (sorted id strings); float measures as their top 200
   ``[id, value]`` (value descending, ties by id) plus ``sum`` and
   ``weighted_sum`` = sum of value * (i + 1) / n over ``ids`` order (a
   checksum of the whole vector that notices permutations). Floats are written
   with ``repr`` (shortest round-trip), so the file is reproducible.

Determinism: nodes are inserted in sorted id order and edges in sorted order.

wiki-vote (7,115 nodes, 103,689 edges) is the slow one: networkx's exact
betweenness there takes minutes (see the seconds it prints); it is run once and
its file committed.

Usage (from the repository root):

    python3 scripts/reference/centrality_networkx.py                 # all graphs
    python3 scripts/reference/centrality_networkx.py --graph email-eu-core
    CLOUT_DATA_DIR=/path/to/data python3 scripts/reference/centrality_networkx.py

Data directory precedence: --data-dir, then $CLOUT_DATA_DIR, then
``<repo>/../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from pathlib import Path

import networkx as nx
import numpy as np
import scipy as sp
import scipy.sparse.linalg  # noqa: F401  (makes sp.sparse.linalg available)

from pagerank_networkx import open_text  # same directory: the same reading of the files

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = (REPO_ROOT / ".." / "shared" / "data").resolve()
DEFAULT_OUT_DIR = REPO_ROOT / "tests" / "reference" / "centrality"

TOP = 200
PAGERANK_TOL = 1e-12
ITER_TOL = 1e-14
MAX_ITER = 100_000

# name -> (path relative to the data dir, undirected?)
GRAPHS: dict[str, tuple[str, bool]] = {
    "email-eu-core": ("graphs/email-eu-core/email-Eu-core.txt", False),
    "email-eu-core-undirected": ("graphs/email-eu-core/email-Eu-core.txt", True),
    "college-msg": ("graphs/college-msg/CollegeMsg.txt", False),
    "ego-facebook": ("graphs/ego-facebook/facebook_combined.txt.gz", True),
    "wiki-vote": ("graphs/wiki-vote/Wiki-Vote.txt", False),
}

# name -> (path relative to the data dir, undirected?): weighted by merged duplicates.
WEIGHTED: dict[str, tuple[str, bool]] = {
    "college-msg-weighted": ("graphs/college-msg/CollegeMsg.txt", False),
    "college-msg-weighted-undirected": ("graphs/college-msg/CollegeMsg.txt", True),
}


def read_graph(path: Path, undirected: bool) -> nx.Graph:
    nodes: set[str] = set()
    edges: set[tuple[str, str]] = set()
    with open_text(path) as f:
        for raw in f:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            a, b = line.split()[:2]
            nodes.update((a, b))
            if a == b:
                continue
            if undirected and b < a:
                a, b = b, a
            edges.add((a, b))
    G = nx.Graph() if undirected else nx.DiGraph()
    G.add_nodes_from(sorted(nodes))
    G.add_edges_from(sorted(edges))
    return G


def read_counted_graph(path: Path, undirected: bool) -> nx.Graph:
    """The first two columns of each line, weight 1 each, duplicates merged by adding."""
    nodes: set[str] = set()
    weights: dict[tuple[str, str], int] = {}
    with open_text(path) as f:
        for raw in f:
            line = raw.rstrip("\n").rstrip("\r")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            a, b = line.split()[:2]
            nodes.update((a, b))
            if a == b:
                continue
            if undirected and b < a:
                a, b = b, a
            weights[(a, b)] = weights.get((a, b), 0) + 1
    G = nx.Graph() if undirected else nx.DiGraph()
    G.add_nodes_from(sorted(nodes))
    G.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(weights.items()))
    return G


def largest_eigenvalue(G: nx.Graph) -> float:
    A = nx.to_scipy_sparse_array(G, nodelist=sorted(G), dtype=float)
    vals = sp.sparse.linalg.eigs(A, k=1, which="LR", return_eigenvectors=False, tol=0)
    return float(vals[0].real)


def measures(G: nx.Graph, alpha: float) -> tuple[dict, dict, dict]:
    """(integer measures, float measures, seconds per measure)."""
    ints: dict[str, dict] = {}
    floats: dict[str, dict] = {}
    secs: dict[str, float] = {}

    def timed(name, f):
        t = time.perf_counter()
        out = f()
        secs[name] = time.perf_counter() - t
        return out

    ints["degree"] = dict(G.degree())
    if G.is_directed():
        ints["in_degree"] = dict(G.in_degree())
        ints["out_degree"] = dict(G.out_degree())
    floats["pagerank"] = timed("pagerank", lambda: nx.pagerank(G, tol=PAGERANK_TOL, max_iter=MAX_ITER))
    hubs, auths = timed("hits", lambda: nx.hits(G, tol=0, max_iter=MAX_ITER))
    floats["hub"], floats["authority"] = hubs, auths
    floats["eigenvector"] = timed(
        "eigenvector", lambda: nx.eigenvector_centrality(G, tol=ITER_TOL, max_iter=MAX_ITER))
    floats["katz"] = timed(
        "katz", lambda: nx.katz_centrality(G, alpha=alpha, tol=ITER_TOL, max_iter=MAX_ITER))
    ints["core"] = timed("core", lambda: nx.core_number(G))
    if not G.is_directed():
        ints["triangles"] = timed("triangles", lambda: nx.triangles(G))
    floats["clustering"] = timed("clustering", lambda: nx.clustering(G))
    floats["harmonic"] = timed("harmonic", lambda: nx.harmonic_centrality(G))
    floats["betweenness"] = timed("betweenness", lambda: nx.betweenness_centrality(G))
    return ints, floats, secs


def summary(values: dict, ids: list[str]) -> dict:
    n = len(ids)
    top = sorted(ids, key=lambda i: (-values[i], i))[:TOP]
    return {
        "top": [[i, float(values[i])] for i in top],
        "sum": float(sum(values[i] for i in ids)),
        "weighted_sum": float(sum(values[i] * (k + 1) / n for k, i in enumerate(ids))),
    }


def run_graph(name: str, data_dir: Path, out_dir: Path) -> None:
    rel, undirected = GRAPHS[name]
    path = data_dir / rel
    if not path.is_file():
        sys.exit(f"error: {name}: data file not found: {path} (set --data-dir or CLOUT_DATA_DIR)")
    t0 = time.perf_counter()
    G = read_graph(path, undirected)
    ids = sorted(G)
    lam = largest_eigenvalue(G)
    alpha = float(f"{0.5 / lam:.3g}")
    ints, floats, secs = measures(G, alpha)
    doc = {
        "graph": name,
        "file": rel,
        "undirected": undirected,
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "networkx": nx.__version__,
        "katz_alpha": alpha,
        "largest_eigenvalue": lam,
        "ids": ids,
        "int": {m: [int(v[i]) for i in ids] for m, v in ints.items()},
        "float": {m: summary(v, ids) for m, v in floats.items()},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{name}.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"== {name}  ({path})  nodes {doc['nodes']} edges {doc['edges']} "
          f"lambda_max {lam:.6g} katz alpha {alpha}")
    print("  seconds  " + "  ".join(f"{m} {s:.2f}" for m, s in secs.items()))
    print(f"  wrote {out} ({out.stat().st_size} bytes)  [{time.perf_counter() - t0:.1f}s]")
    sys.stdout.flush()


def run_weighted(name: str, data_dir: Path, out_dir: Path) -> None:
    rel, undirected = WEIGHTED[name]
    path = data_dir / rel
    if not path.is_file():
        sys.exit(f"error: {name}: data file not found: {path} (set --data-dir or CLOUT_DATA_DIR)")
    t0 = time.perf_counter()
    G = read_counted_graph(path, undirected)
    ids = sorted(G)
    secs: dict[str, float] = {}
    floats: dict[str, dict] = {}
    for m, f in [
        ("harmonic", lambda: nx.harmonic_centrality(G, distance="weight")),
        ("betweenness", lambda: nx.betweenness_centrality(G, weight="weight")),
    ]:
        t = time.perf_counter()
        floats[m] = f()
        secs[m] = time.perf_counter() - t
    doc = {
        "graph": name,
        "file": rel,
        "undirected": undirected,
        "weights": "count: the first two columns of each line, weight 1, duplicates added",
        "nodes": G.number_of_nodes(),
        "edges": G.number_of_edges(),
        "total_weight": int(G.size(weight="weight")),
        "networkx": nx.__version__,
        "ids": ids,
        "int": {},
        "float": {m: summary(v, ids) for m, v in floats.items()},
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    out = out_dir / f"{name}.json"
    out.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"== {name}  ({path})  nodes {doc['nodes']} edges {doc['edges']} "
          f"total weight {doc['total_weight']}")
    print("  seconds  " + "  ".join(f"{m} {s:.2f}" for m, s in secs.items()))
    print(f"  wrote {out} ({out.stat().st_size} bytes)  [{time.perf_counter() - t0:.1f}s]")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="append", choices=sorted([*GRAPHS, *WEIGHTED]),
                    help="graph to process (repeatable; default: all)")
    ap.add_argument("--data-dir", type=Path,
                    default=Path(os.environ.get("CLOUT_DATA_DIR", DEFAULT_DATA_DIR)),
                    help="dataset root (default: $CLOUT_DATA_DIR or <repo>/../shared/data)")
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                    help="output directory (default: tests/reference/centrality)")
    args = ap.parse_args(argv)
    print(f"python {platform.python_version()}  networkx {nx.__version__}  "
          f"scipy {sp.__version__}  numpy {np.__version__}")
    for name in args.graph or [*GRAPHS, *WEIGHTED]:
        if name in WEIGHTED:
            run_weighted(name, args.data_dir, args.out_dir)
        else:
            run_graph(name, args.data_dir, args.out_dir)


if __name__ == "__main__":
    main()
