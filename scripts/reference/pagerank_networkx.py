#!/usr/bin/env python3
"""Produce networkx PageRank reference values for clout's tests.

For each selected real graph this script

1. parses the edge list itself (gzip detected by magic bytes; trailing '\\r'
   stripped; blank lines and lines starting with '#' skipped; tokens split on
   whitespace; node ids are the literal token strings),
2. applies clout's graph semantics:
     * directed edge src -> dst,
     * every id that appears in any edge line is a node (even if its only
       edge is a self-loop),
     * self-loops are dropped (the node stays),
     * duplicate (src, dst) pairs merge and their weights add (an unweighted
       line has weight 1, so a pair listed twice gets weight 2),
3. runs ``nx.pagerank(G, alpha=0.85, tol=1e-12, max_iter=10000, weight="weight")``
   (uniform teleport; dangling mass spread uniformly),
4. writes ``<out-dir>/<name>.tsv.gz``: one ``#`` header line, then
   ``id<TAB>rank`` per node sorted by id string, rank written with
   ``repr(float)`` (shortest string that round-trips the float64 exactly),
   gzip with mtime=0 and no embedded file name so output is byte-reproducible,
5. unless ``--no-check``: counts the iterations networkx needed (by re-running
   networkx's own ``_pagerank_scipy`` loop verbatim and asserting the result is
   bit-identical), and independently solves the same fixed point with a plain
   numpy power iteration (no networkx / scipy) to an L1 step < 1e-15 (or until
   it stalls), then reports the L1 distance between the two.

Determinism: the DiGraph is built with nodes inserted in sorted id order and
edges in sorted (src, dst) order, so networkx's internal node order -- and
therefore its floating-point summation order -- is fixed.

Usage (from the repository root):

    python3 scripts/reference/pagerank_networkx.py                 # all graphs
    python3 scripts/reference/pagerank_networkx.py --graph wiki-vote
    CLOUT_DATA_DIR=/path/to/data python3 scripts/reference/pagerank_networkx.py

Data directory precedence: --data-dir, then $CLOUT_DATA_DIR, then
``<repo>/../shared/data``.
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import networkx as nx
import numpy as np
import scipy as sp
import scipy.sparse  # noqa: F401  (makes sp.sparse available)

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = (REPO_ROOT / ".." / "shared" / "data").resolve()
DEFAULT_OUT_DIR = REPO_ROOT / "tests" / "reference" / "pagerank"

ALPHA = 0.85
TOL = 1e-12
MAX_ITER = 10000

# name -> (path relative to the data dir, weighted?)
GRAPHS: dict[str, tuple[str, bool]] = {
    "wiki-vote": ("graphs/wiki-vote/Wiki-Vote.txt", False),
    "slashdot": ("graphs/slashdot/soc-Slashdot0902.txt.gz", False),
    "higgs-retweet-weighted": ("higgs/higgs-retweet_network.edgelist.gz", True),
}


@dataclass
class ParsedGraph:
    name: str
    nodes: set[str] = field(default_factory=set)
    # (src, dst) -> summed weight, self-loops excluded
    edges: dict[tuple[str, str], float] = field(default_factory=dict)
    lines: int = 0          # edge lines read (after skipping blanks/comments)
    self_loops: int = 0     # edge lines with src == dst (dropped)
    duplicates: int = 0     # edge lines whose (src, dst) pair was already seen


def open_text(path: Path) -> io.TextIOBase:
    """Open a file as UTF-8 text, transparently gunzipping if it is gzip."""
    with open(path, "rb") as f:
        magic = f.read(2)
    if magic == b"\x1f\x8b":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8", newline="")
    return open(path, "r", encoding="utf-8", newline="")


def parse_edge_list(name: str, path: Path, weighted: bool) -> ParsedGraph:
    g = ParsedGraph(name)
    want = 3 if weighted else 2
    with open_text(path) as f:
        for lineno, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")  # handles \n, \r\n and \r\r\n
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            tok = line.split()
            if len(tok) != want:
                raise ValueError(f"{path}:{lineno}: expected {want} fields, got {len(tok)}: {line!r}")
            src, dst = tok[0], tok[1]
            w = float(tok[2]) if weighted else 1.0
            g.lines += 1
            g.nodes.add(src)
            g.nodes.add(dst)
            if src == dst:
                g.self_loops += 1
                continue
            key = (src, dst)
            if key in g.edges:
                g.duplicates += 1
                g.edges[key] += w
            else:
                g.edges[key] = w
    return g


def build_digraph(g: ParsedGraph) -> nx.DiGraph:
    G = nx.DiGraph()
    G.add_nodes_from(sorted(g.nodes))
    G.add_weighted_edges_from(
        ((s, d, w) for (s, d), w in sorted(g.edges.items())), weight="weight"
    )
    assert G.number_of_nodes() == len(g.nodes)
    assert G.number_of_edges() == len(g.edges)
    return G


def networkx_iterations(G: nx.DiGraph, expected: dict[str, float]) -> int | None:
    """Re-run networkx's _pagerank_scipy loop verbatim, counting iterations.

    Returns the iteration count if the replay reproduces ``expected``
    bit-for-bit (so it is the same computation), else None.
    """
    N = len(G)
    nodelist = list(G)
    A = nx.to_scipy_sparse_array(G, nodelist=nodelist, weight="weight", dtype=float)
    S = A.sum(axis=1)
    S[S != 0] = 1.0 / S[S != 0]
    Q = sp.sparse.dia_array((S.T, 0), shape=A.shape).tocsr()
    A = Q @ A
    x = np.repeat(1.0 / N, N)
    p = np.repeat(1.0 / N, N)
    dangling_weights = p
    is_dangling = np.where(S == 0)[0]
    for it in range(1, MAX_ITER + 1):
        xlast = x
        x = ALPHA * (x @ A + sum(x[is_dangling]) * dangling_weights) + (1 - ALPHA) * p
        err = np.absolute(x - xlast).sum()
        if err < N * TOL:
            same = all(float(v) == expected[n] for n, v in zip(nodelist, x))
            return it if same else None
    return None


def tight_pagerank(g: ParsedGraph, ids: list[str]) -> tuple[np.ndarray, int, float]:
    """Independent plain-numpy power iteration on the same fixed point.

    x <- alpha * (x @ P + sum(x[dangling]) / N) + (1 - alpha) / N,
    P = row-normalised weight matrix. Stops when the L1 step < 1e-15 or the
    step has not improved for 200 iterations (float64 floor).
    Returns (x in ``ids`` order, iterations, last L1 step).
    """
    index = {n: i for i, n in enumerate(ids)}
    N = len(ids)
    m = len(g.edges)
    src = np.empty(m, dtype=np.int64)
    dst = np.empty(m, dtype=np.int64)
    w = np.empty(m, dtype=np.float64)
    for k, ((s, d), wt) in enumerate(g.edges.items()):
        src[k] = index[s]
        dst[k] = index[d]
        w[k] = wt
    outw = np.bincount(src, weights=w, minlength=N)
    dangling = outw == 0
    coef = w / outw[src]  # row-normalised transition probabilities
    x = np.full(N, 1.0 / N)
    best, since_best, it, err = np.inf, 0, 0, np.inf
    while it < 1_000_000:
        it += 1
        flow = np.bincount(dst, weights=x[src] * coef, minlength=N)
        xn = ALPHA * (flow + x[dangling].sum() / N) + (1.0 - ALPHA) / N
        err = float(np.abs(xn - x).sum())
        x = xn
        if err < 1e-15:
            break
        if err < best:
            best, since_best = err, 0
        else:
            since_best += 1
            if since_best >= 200:
                break
    return x, it, err


def write_tsv_gz(path: Path, header: str, ids: list[str], ranks: dict[str, float]) -> None:
    buf = io.StringIO()
    buf.write(header + "\n")
    for n in ids:
        buf.write(f"{n}\t{ranks[n]!r}\n")
    raw = buf.getvalue().encode("utf-8")
    out = io.BytesIO()
    # filename="" and mtime=0: nothing time- or path-dependent in the gzip header.
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, compresslevel=9, mtime=0) as gz:
        gz.write(raw)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(out.getvalue())
    tmp.replace(path)


def run_graph(name: str, data_dir: Path, out_dir: Path, check: bool) -> None:
    rel, weighted = GRAPHS[name]
    path = data_dir / rel
    if not path.is_file():
        sys.exit(f"error: {name}: data file not found: {path} (set --data-dir or CLOUT_DATA_DIR)")
    t0 = time.perf_counter()
    g = parse_edge_list(name, path, weighted)
    G = build_digraph(g)
    ranks = nx.pagerank(G, alpha=ALPHA, tol=TOL, max_iter=MAX_ITER, weight="weight")
    t1 = time.perf_counter()

    ids = sorted(g.nodes)
    dangling = sum(1 for n in ids if G.out_degree(n) == 0)
    isolated = sum(1 for n in ids if G.degree(n) == 0)
    iters = networkx_iterations(G, ranks) if check else None

    header = (
        f"# graph={name} nodes={len(ids)} edges={len(g.edges)} alpha={ALPHA!r} tol={TOL!r} "
        f"networkx={nx.__version__}"
    )
    out = out_dir / f"{name}.tsv.gz"
    write_tsv_gz(out, header, ids, ranks)

    total = sum(ranks[n] for n in ids)
    top = sorted(ids, key=lambda n: (-ranks[n], n))[:5]
    print(f"== {name}  ({path})")
    print(f"  edge lines read          {g.lines}")
    print(f"  nodes                    {len(ids)}")
    print(f"  edges after merge        {len(g.edges)}")
    print(f"  self-loops dropped       {g.self_loops}")
    print(f"  duplicates merged        {g.duplicates}")
    print(f"  dangling nodes           {dangling}  (of which isolated: {isolated})")
    print(f"  total edge weight        {sum(g.edges.values())!r}")
    print(f"  sum of ranks             {total!r}")
    print(f"  networkx iterations      {iters if iters is not None else 'not measured'}")
    print("  top 5                    " + ", ".join(f"{n}={ranks[n]:.10g}" for n in top))
    print(f"  wrote                    {out} ({out.stat().st_size} bytes)  [{t1 - t0:.1f}s]")

    if check:
        xt, it, last = tight_pagerank(g, ids)
        nxv = np.array([ranks[n] for n in ids])
        diff = np.abs(nxv - xt)
        print(f"  tight numpy solution     {it} iterations, last L1 step {last:.3e}, sum {float(xt.sum())!r}")
        print(f"  L1(networkx, tight)      {diff.sum():.6e}")
        print(f"  max |networkx - tight|   {diff.max():.6e}")
        print(f"  max rel diff             {(diff / xt).max():.6e}")
        tight_top = [ids[i] for i in np.lexsort((np.array(ids), -xt))[:5]]
        print(f"  tight top 5 same order   {tight_top == top}")
    sys.stdout.flush()


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--graph", action="append", choices=sorted(GRAPHS),
                    help="graph to process (repeatable; default: all)")
    ap.add_argument("--data-dir", type=Path,
                    default=Path(os.environ.get("CLOUT_DATA_DIR", DEFAULT_DATA_DIR)),
                    help="dataset root (default: $CLOUT_DATA_DIR or <repo>/../shared/data)")
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR,
                    help="output directory (default: tests/reference/pagerank)")
    ap.add_argument("--no-check", action="store_true",
                    help="skip the iteration count and the independent tight-tolerance check")
    args = ap.parse_args(argv)

    print(f"python {platform.python_version()}  networkx {nx.__version__}  "
          f"scipy {sp.__version__}  numpy {np.__version__}")
    print(f"alpha={ALPHA} tol={TOL} max_iter={MAX_ITER} data_dir={args.data_dir}")
    for name in args.graph or list(GRAPHS):
        run_graph(name, args.data_dir, args.out_dir, check=not args.no_check)


if __name__ == "__main__":
    main()
