#!/usr/bin/env python3
"""Side-by-side PageRank timing: clout vs scipy (and igraph when installed) on the same graph.

Generates a Graph500 Kronecker graph with `clout generate kronecker`, then in one run:
  * clout: `clout pagerank FILE --iterations N --timings` (a first run builds the binary cache,
    the timed runs load it), reporting its own load and PageRank seconds;
  * scipy: a CSR power iteration with networkx's update rule for exactly N iterations (only the
    iterations are timed; building the matrix is reported separately);
  * igraph (optional): `Graph.pagerank()` (PRPACK, solves to convergence; the whole call timed).
It checks that clout and scipy computed the same vector (L1 distance) and prints the ratios.

Usage: python3 scripts/compare_pagerank.py [--scale 22] [--iterations 20] [--threads 2]
Needs: numpy, scipy (pip install numpy scipy); python-igraph optional; a release build of clout.
"""
import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_clout(clout, args, env):
    p = subprocess.run([str(clout), *args], capture_output=True, text=True, env=env)
    if p.returncode != 0:
        sys.exit(f"clout {' '.join(args)} failed:\n{p.stderr}")
    return p


def clout_timings(stderr):
    for line in stderr.splitlines():
        if line.startswith("clout-timings "):
            return json.loads(line[len("clout-timings "):])
    sys.exit("clout printed no timings line")


def load_edges(path):
    import numpy as np
    t = time.perf_counter()
    flat = np.fromfile(path, dtype=np.int64, sep=" ")
    edges = flat.reshape(-1, 2)
    return edges, time.perf_counter() - t


def scipy_pagerank(edges, iterations, damping=0.85):
    """networkx's rule: x' = d (Aᵀ (x / out) + Σ_dangling x / N) + (1 - d) / N, unweighted,
    duplicate edges collapsed to one, self-loops dropped — clout's graph semantics."""
    import numpy as np
    import scipy.sparse as sp
    t = time.perf_counter()
    ids, inv = np.unique(edges, return_inverse=True)
    inv = inv.reshape(-1, 2)
    keep = inv[:, 0] != inv[:, 1]
    src, dst = inv[keep, 0], inv[keep, 1]
    n = len(ids)
    a = sp.csr_matrix((np.ones(len(src)), (src, dst)), shape=(n, n))
    a.sum_duplicates()
    a.data[:] = 1.0
    out = np.asarray(a.sum(axis=1)).ravel()
    at = a.T.tocsr()
    inv_out = np.where(out > 0, 1.0 / np.maximum(out, 1), 0.0)
    dangling = out == 0
    build_s = time.perf_counter() - t
    x = np.full(n, 1.0 / n)
    t = time.perf_counter()
    for _ in range(iterations):
        x = damping * (at @ (x * inv_out) + x[dangling].sum() / n) + (1 - damping) / n
    return ids, x, a.nnz, build_s, time.perf_counter() - t


def igraph_pagerank(edges):
    try:
        import igraph as ig
        import numpy as np
    except ImportError:
        return None
    ids, inv = np.unique(edges, return_inverse=True)
    inv = inv.reshape(-1, 2)
    keep = inv[:, 0] != inv[:, 1]
    g = ig.Graph(n=len(ids), edges=inv[keep].tolist(), directed=True)
    g.simplify(multiple=True, loops=True)
    t = time.perf_counter()
    g.pagerank(damping=0.85)
    return time.perf_counter() - t


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--scale", type=int, default=22)
    ap.add_argument("--edge-factor", type=int, default=16)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--iterations", type=int, default=20)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--repeat", type=int, default=3, help="timed clout runs (the best is kept)")
    ap.add_argument("--workdir", type=Path, default=Path("/tmp/clout-compare"))
    ap.add_argument("--clout", type=Path, default=ROOT / "target" / "release" / "clout")
    ap.add_argument("--no-igraph", action="store_true")
    args = ap.parse_args()
    if not args.clout.exists():
        sys.exit(f"{args.clout} not found: run `cargo build --release` first")
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(args.threads))
    args.workdir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, CLOUT_CACHE_DIR=str(args.workdir / "cache"))
    graph = args.workdir / f"kron{args.scale}-ef{args.edge_factor}-s{args.seed}.txt"
    if not graph.exists():
        print(f"generating {graph} …", file=sys.stderr)
        run_clout(args.clout, ["generate", "kronecker", "--scale", str(args.scale), "--edge-factor",
                               str(args.edge_factor), "--seed", str(args.seed), "--out", str(graph)], env)
    mb = graph.stat().st_size / 1e6

    common = ["--threads", str(args.threads), "-q", "pagerank", str(graph), "--iterations", str(args.iterations), "--timings"]
    first = clout_timings(run_clout(args.clout, [*common, "--no-cache", "--top", "1", "--json"], env).stderr)
    run_clout(args.clout, [*common, "--top", "1", "--json"], env)  # writes the cache
    ranks_csv = args.workdir / "clout-ranks.csv"
    best = None
    for _ in range(args.repeat):
        t = clout_timings(run_clout(args.clout, [*common, "--csv", "--out", str(ranks_csv)], env).stderr)
        best = t if best is None or t["pagerank_s"] < best["pagerank_s"] else best

    edges, np_load_s = load_edges(graph)
    ids, x, nnz, sp_build_s, sp_pr_s = scipy_pagerank(edges, args.iterations)
    import numpy as np
    ours = {}
    with open(ranks_csv) as f:
        next(f)
        for line in f:
            i, r = line.rstrip("\n").split(",")
            ours[int(i)] = float(r)
    l1 = float(np.abs(np.array([ours[int(i)] for i in ids]) - x).sum())
    ig_s = None if args.no_igraph else igraph_pagerank(edges)

    e = best["edges"]
    print(f"graph: Kronecker scale {args.scale}, edge factor {args.edge_factor}, seed {args.seed}: "
          f"{best['nodes']:,} nodes, {e:,} edges after merging ({mb:.0f} MB of text); {args.threads} threads")
    print(f"clout vs scipy ranks: L1 distance {l1:.2e} (nnz scipy {nnz:,})")
    print(f"{'step':<42}{'seconds':>10}{'edges/s/iter':>16}{'vs clout':>10}")
    rows = [
        (f"clout pagerank, {args.iterations} iterations", best["pagerank_s"]),
        (f"scipy CSR power iteration, {args.iterations} it.", sp_pr_s),
    ]
    if ig_s is not None:
        rows.append(("igraph pagerank (PRPACK, to convergence)", ig_s))
    for name, s in rows:
        rate = e * args.iterations / s if "iteration" in name else float("nan")
        print(f"{name:<42}{s:>10.3f}{rate:>16.3e}{s / best['pagerank_s']:>9.2f}x")
    print(f"{'clout text load (parse + build), no cache':<42}{first['load_s']:>10.3f}"
          f"{'':>16}   ({mb / first['read_s']:.0f} MB/s read+intern)")
    print(f"{'clout binary cache load':<42}{best['load_s']:>10.3f}")
    print(f"{'numpy fromfile (text load only)':<42}{np_load_s:>10.3f}")
    print(f"{'scipy matrix build':<42}{sp_build_s:>10.3f}")


if __name__ == "__main__":
    main()
