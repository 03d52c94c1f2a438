#!/usr/bin/env python3
"""Side-by-side centrality timing: clout vs networkx (and igraph, NetworKit when installed).

For each graph, in one run and on the same parsed edges (clout's semantics: self-loops dropped,
duplicates merged; `--undirected` graphs as networkx's `Graph`):
  * clout: `clout --threads T graph centrality FILE --measure M --csv --out /dev/null --timings`,
    the graph cache warmed first; the measure's own seconds (`compute_s`, as for the libraries
    below) and the whole process's, best of --repeat runs;
  * networkx: the measure's function, once (only the call is timed);
  * igraph / NetworKit (optional, `pip install igraph networkit`): the closest function, best of
    --repeat (only the call); NetworKit with T threads, igraph single-threaded.
A dash means the library has no such measure (or not for that kind of graph). Prints a Markdown
table of milliseconds and of each library's time divided by clout's compute time.

The weighted graphs of the reference script (`*-weighted`: CollegeMsg, each line weight 1,
duplicates added) time harmonic and betweenness with the weights as distances: clout
`--weighted` on the file's first two columns, `nx.harmonic_centrality(G, distance="weight")`,
`nx.betweenness_centrality(G, weight="weight")`, igraph's `weights=`, NetworKit on a weighted
graph.

Usage: python3 scripts/compare_centrality.py [--threads 2] [--graph ego-facebook …]
Needs: networkx (scripts/reference/requirements.txt); igraph and networkit optional; a release
build of clout; the shared data (`$CLOUT_DATA_DIR`, default ../shared/data).
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import warnings
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "reference"))
from centrality_networkx import (  # noqa: E402
    GRAPHS, WEIGHTED, read_counted_graph, read_graph)

MEASURES = ["pagerank", "hits", "eigenvector", "katz", "core", "clustering", "triangles",
            "harmonic", "betweenness"]
WEIGHTED_MEASURES = ["harmonic", "betweenness"]
KATZ_ALPHA = 0.001


def best(f, repeat):
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def clout_time(clout, path, measure, undirected, weighted, threads, cache, repeat):
    args = [str(clout), "--quiet", "--threads", str(threads), "graph", "centrality", str(path),
            "--measure", measure, "--csv", "--out", os.devnull, "--cache-dir", cache,
            "--alpha", str(KATZ_ALPHA)]
    if undirected:
        args.append("--undirected")
    if weighted:
        args.append("--weighted")
    args.append("--timings")
    compute = []

    def run():
        p = subprocess.run(args, capture_output=True, text=True)
        if p.returncode != 0:
            sys.exit(f"{' '.join(args)} failed:\n{p.stderr}")
        line = next(x for x in p.stderr.splitlines() if x.startswith("clout-timings "))
        compute.append(json.loads(line[len("clout-timings "):])["compute_s"])
    run()  # warms the graph cache
    wall = best(run, repeat)
    return min(compute[1:]), wall


def networkx_call(G, measure, weighted):
    directed = G.is_directed()
    w = "weight" if weighted else None
    return {
        "pagerank": lambda: nx.pagerank(G),
        "hits": lambda: nx.hits(G),
        "eigenvector": lambda: nx.eigenvector_centrality(G, max_iter=1000),
        "katz": lambda: nx.katz_centrality(G, alpha=KATZ_ALPHA),
        "core": lambda: nx.core_number(G),
        "clustering": lambda: nx.clustering(G),
        "triangles": None if directed else (lambda: nx.triangles(G)),
        "harmonic": lambda: nx.harmonic_centrality(G, distance=w),
        "betweenness": lambda: nx.betweenness_centrality(G, weight=w),
    }[measure]


def igraph_call(G, measure, weighted):
    import igraph as ig
    ids = {v: i for i, v in enumerate(G)}
    g = ig.Graph(n=len(ids), edges=[(ids[a], ids[b]) for a, b in G.edges()],
                 directed=G.is_directed())
    w = None
    if weighted:
        g.es["weight"] = [d["weight"] for _, _, d in G.edges(data=True)]
        w = "weight"
    directed = G.is_directed()
    return {
        "pagerank": lambda: g.pagerank(),
        "hits": lambda: (g.hub_score(), g.authority_score()),
        "eigenvector": (lambda: g.eigenvector_centrality(directed=True)) if directed
        else (lambda: g.eigenvector_centrality()),
        "katz": None,
        "core": lambda: g.coreness(mode="all"),
        "clustering": None if directed else (lambda: g.transitivity_local_undirected(mode="zero")),
        "triangles": None,
        "harmonic": lambda: g.harmonic_centrality(mode="in", weights=w, normalized=False),
        "betweenness": lambda: g.betweenness(directed=directed, weights=w),
    }[measure]


def networkit_call(G, measure, threads, weighted):
    import networkit as nk
    nk.setNumberOfThreads(threads)
    ids = {v: i for i, v in enumerate(G)}
    g = nk.Graph(len(ids), weighted=weighted, directed=G.is_directed())
    for a, b, d in G.edges(data=True):
        g.addEdge(ids[a], ids[b], float(d["weight"]) if weighted else 1.0)
    directed = G.is_directed()

    def run(algo):
        return lambda: algo().run()
    return {
        "pagerank": run(lambda: nk.centrality.PageRank(g, damp=0.85, tol=1e-6)),
        "hits": None,
        "eigenvector": run(lambda: nk.centrality.EigenvectorCentrality(g)),
        "katz": run(lambda: nk.centrality.KatzCentrality(g, alpha=KATZ_ALPHA)),
        "core": None if directed else run(lambda: nk.centrality.CoreDecomposition(g)),
        "clustering": None if directed else run(
            lambda: nk.centrality.LocalClusteringCoefficient(g)),
        "triangles": None,
        "harmonic": run(lambda: nk.centrality.HarmonicCloseness(g, normalized=False)),
        "betweenness": run(lambda: nk.centrality.Betweenness(g, normalized=True)),
    }[measure]


def two_columns(path, into):
    """The first two columns of `path`'s edge lines, in a file under `into`: clout reads each
    line with weight 1 and adds duplicates, as `read_counted_graph` does."""
    out = Path(into) / (path.name + ".pairs")
    with open(path) as f, open(out, "w") as o:
        for line in f:
            if line.strip() and not line.lstrip().startswith("#"):
                o.write(" ".join(line.split()[:2]) + "\n")
    return out


def optional(name):
    try:
        __import__(name)
        return True
    except ImportError:
        print(f"({name} not installed: its column is left out)")
        return False


def fmt(x):
    return "–" if x is None else f"{x * 1000:.1f}"


def ratio(x, c):
    return "–" if x is None else f"{x / c:.1f}×"


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="append", choices=sorted([*GRAPHS, *WEIGHTED]))
    ap.add_argument("--measure", action="append", choices=MEASURES)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--data-dir", type=Path, default=Path(
        os.environ.get("CLOUT_DATA_DIR", ROOT / ".." / "shared" / "data")))
    ap.add_argument("--clout", type=Path, default=ROOT / "target" / "release" / "clout")
    args = ap.parse_args()
    warnings.simplefilter("ignore")  # igraph's notes on zero scores and undirected HITS
    have_ig, have_nk = optional("igraph"), optional("networkit")
    cache = tempfile.mkdtemp(prefix="clout-compare-centrality-")
    print("| graph | measure | clout ms (process) | networkx ms | igraph ms | NetworKit ms "
          "| networkx/clout | igraph/clout | NetworKit/clout |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name in args.graph or ["email-eu-core", "ego-facebook"]:
        weighted = name in WEIGHTED
        rel, undirected = (WEIGHTED if weighted else GRAPHS)[name]
        path = args.data_dir / rel
        if weighted:
            G = read_counted_graph(path, undirected)
            path = two_columns(path, cache)
        else:
            G = read_graph(path, undirected)
        for m in args.measure or (WEIGHTED_MEASURES if weighted else MEASURES):
            if weighted and m not in WEIGHTED_MEASURES:
                continue
            nx_f = networkx_call(G, m, weighted)
            if nx_f is None:
                continue
            c, wall = clout_time(args.clout, path, m, undirected, weighted, args.threads, cache,
                                 args.repeat)
            t_nx = best(nx_f, 1)
            ig_f = igraph_call(G, m, weighted) if have_ig else None
            nk_f = networkit_call(G, m, args.threads, weighted) if have_nk else None
            t_ig = best(ig_f, args.repeat) if ig_f else None
            t_nk = best(nk_f, args.repeat) if nk_f else None
            print(f"| {name} | {m} | {fmt(c)} ({fmt(wall)}) | {fmt(t_nx)} | {fmt(t_ig)} | {fmt(t_nk)} "
                  f"| {ratio(t_nx, c)} | {ratio(t_ig, c)} | {ratio(t_nk, c)} |", flush=True)


if __name__ == "__main__":
    main()
