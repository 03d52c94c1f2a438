#!/usr/bin/env python3
"""Side-by-side community detection: clout vs networkx, igraph and NetworKit, same graphs, one run.

For each graph, read as undirected with clout's semantics (self-loops dropped, duplicates merged,
`a b` and `b a` one edge; the loader of scripts/reference/centrality_networkx.py), and each
method, seeds 0..--seeds-1:
  * clout: `clout --threads T graph communities FILE --method M --seed S --json --timings`, the
    graph cache warmed first; the method's own seconds (`compute_s`) and the modularity;
  * networkx: `louvain_communities`, `asyn_lpa_communities` (only the call is timed);
  * igraph (optional): `community_multilevel`, `community_leiden(objective_function=
    "modularity", n_iterations=N)` with N = clout's passes (10 unless --leiden-iterations),
    `community_label_propagation`; single-threaded;
  * NetworKit (optional): `PLM(refine=True)` (Louvain), `ParallelLeiden`, `PLP`; T threads.
Prints a Markdown table: mean milliseconds and mean modularity (networkx's definition, computed
by igraph for every library) over the seeds, and each library's time divided by clout's.

Usage: python3 scripts/compare_communities.py [--graph slashdot …] [--seeds 3] [--threads 2]
Needs: networkx (scripts/reference/requirements.txt); igraph and networkit optional
(`pip install igraph networkit`); a release build of clout; the shared data
(`$CLOUT_DATA_DIR`, default ../shared/data).
"""
import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts" / "reference"))
from communities_networkx import GRAPHS  # noqa: E402
from centrality_networkx import read_graph  # noqa: E402

METHODS = ["louvain", "leiden", "label-propagation"]


def clout_run(clout, path, method, seed, threads, cache, iterations):
    args = [str(clout), "--quiet", "--threads", str(threads), "graph", "communities", str(path),
            "--method", method, "--seed", str(seed), "--json", "--top", "0", "--cache-dir", cache,
            "--iterations", str(iterations), "--timings"]
    p = subprocess.run(args, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{p.stderr}")
    line = next(x for x in p.stderr.splitlines() if x.startswith("clout-timings "))
    return json.loads(line[len("clout-timings "):])["compute_s"], json.loads(p.stdout)["modularity"]


def timed(f):
    t = time.perf_counter()
    membership = f()
    return time.perf_counter() - t, membership


def peers(G, ids, threads, iterations, have_ig, have_nk):
    """{(library, method): seed -> (seconds, membership list aligned with ids)}."""
    index = {v: i for i, v in enumerate(ids)}
    edges = [(index[a], index[b]) for a, b in G.edges()]

    def from_sets(comms):
        m = [0] * len(ids)
        for c, members in enumerate(comms):
            for v in members:
                m[index[v]] = c
        return m
    runs = {
        ("networkx", "louvain"): lambda s: from_sets(nx.community.louvain_communities(G, seed=s)),
        ("networkx", "label-propagation"):
            lambda s: from_sets(nx.community.asyn_lpa_communities(G, seed=s)),
    }
    h = None
    if have_ig:
        import igraph as ig
        h = ig.Graph(n=len(ids), edges=edges)

        def seeded(f):
            def run(s):
                random.seed(s)
                ig.set_random_number_generator(random)
                return f().membership
            return run
        runs[("igraph", "louvain")] = seeded(lambda: h.community_multilevel())
        runs[("igraph", "leiden")] = seeded(lambda: h.community_leiden(
            objective_function="modularity", n_iterations=iterations))
        runs[("igraph", "label-propagation")] = seeded(lambda: h.community_label_propagation())
    if have_nk:
        import networkit as nk
        nk.setNumberOfThreads(threads)
        g = nk.Graph(len(ids))
        for a, b in edges:
            g.addEdge(a, b)

        def nk_run(make):
            def run(s):
                nk.engineering.setSeed(s, True)
                algo = make()
                algo.run()
                return algo.getPartition().getVector()
            return run
        runs[("NetworKit", "louvain")] = nk_run(lambda: nk.community.PLM(g, refine=True))
        runs[("NetworKit", "leiden")] = nk_run(lambda: nk.community.ParallelLeiden(g))
        runs[("NetworKit", "label-propagation")] = nk_run(lambda: nk.community.PLP(g))
    return runs, h


def modularity_of(G, ids, h, membership):
    if h is not None:
        return h.modularity(membership)
    comms = {}
    for v, c in zip(ids, membership):
        comms.setdefault(c, set()).add(v)
    return nx.community.modularity(G, comms.values())


def optional(name):
    try:
        __import__(name)
        return True
    except ImportError:
        print(f"({name} not installed: its rows are left out)")
        return False


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="append", choices=sorted(GRAPHS))
    ap.add_argument("--method", action="append", choices=METHODS)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--leiden-iterations", type=int, default=10)
    ap.add_argument("--skip-networkx-over", type=int, default=200_000,
                    help="leave networkx out on graphs with more edges than this")
    ap.add_argument("--data-dir", type=Path, default=Path(
        os.environ.get("CLOUT_DATA_DIR", ROOT / ".." / "shared" / "data")))
    ap.add_argument("--clout", type=Path, default=ROOT / "target" / "release" / "clout")
    args = ap.parse_args()
    have_ig, have_nk = optional("igraph"), optional("networkit")
    cache = tempfile.mkdtemp(prefix="clout-compare-communities-")
    seeds = range(args.seeds)
    print("| graph | method | library | ms (mean) | modularity (mean) | library / clout time |")
    print("|---|---|---|---:|---:|---:|")
    for name in args.graph or ["email-eu-core", "ego-facebook", "wiki-vote", "slashdot"]:
        path = args.data_dir / GRAPHS[name]
        G = read_graph(path, True)
        ids = sorted(G.nodes())
        runs, h = peers(G, ids, args.threads, args.leiden_iterations, have_ig, have_nk)
        for method in args.method or METHODS:
            clout_run(args.clout, path, method, 0, args.threads, cache, args.leiden_iterations)
            ours = [clout_run(args.clout, path, method, s, args.threads, cache,
                              args.leiden_iterations) for s in seeds]
            c_t = sum(t for t, _ in ours) / len(ours)
            c_q = sum(q for _, q in ours) / len(ours)
            print(f"| {name} | {method} | clout | {c_t * 1000:.1f} | {c_q:.4f} | 1.0× |", flush=True)
            for (lib, m), f in runs.items():
                if m != method or (lib == "networkx"
                                   and G.number_of_edges() > args.skip_networkx_over):
                    continue
                res = [timed(lambda: f(s)) for s in seeds]
                t = sum(x for x, _ in res) / len(res)
                q = sum(modularity_of(G, ids, h, mem) for _, mem in res) / len(res)
                print(f"| {name} | {method} | {lib} | {t * 1000:.1f} | {q:.4f} | {t / c_t:.1f}× |",
                      flush=True)


if __name__ == "__main__":
    main()
