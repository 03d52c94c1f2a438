#!/usr/bin/env python3
"""Reference values for `clout graph stats`, computed with networkx 3.x.

Same graph semantics as clout: directed `src dst` lines, `#` comments, CR characters stripped,
self-loops dropped (the node stays), duplicate edges collapsed. Writes
tests/reference/graph_stats.json. Usage (from the repository root):

    python3 scripts/reference/graph_stats_networkx.py [--data-dir ../shared/data]
"""
import argparse
import gzip
import json
import os
import statistics
from pathlib import Path

import networkx as nx

GRAPHS = {
    "wiki-vote": "graphs/wiki-vote/Wiki-Vote.txt",
    "slashdot": "graphs/slashdot/soc-Slashdot0902.txt.gz",
    "email-eu-core": "graphs/email-eu-core/email-Eu-core.txt",
}


def read(path):
    opener = gzip.open if path.read_bytes()[:2] == b"\x1f\x8b" else open
    g = nx.DiGraph()
    with opener(path, "rt", newline="") as f:
        for line in f:
            line = line.replace("\r", "").strip()
            if not line or line.startswith("#"):
                continue
            a, b = line.split()[:2]
            g.add_node(a)
            g.add_node(b)
            if a != b:
                g.add_edge(a, b)
    return g


def stats(g):
    outd = [d for _, d in g.out_degree()]
    ind = [d for _, d in g.in_degree()]
    wcc = [len(c) for c in nx.weakly_connected_components(g)]
    return {
        "nodes": g.number_of_nodes(),
        "edges": g.number_of_edges(),
        "dangling": sum(1 for d in outd if d == 0),
        "reciprocity": nx.overall_reciprocity(g),
        "max_out_degree": max(outd),
        "max_in_degree": max(ind),
        "median_out_degree_low": statistics.median_low(outd),
        "weak_components": len(wcc),
        "largest_weak_component": max(wcc),
        "networkx": nx.__version__,
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data-dir", type=Path, default=Path(os.environ.get("CLOUT_DATA_DIR", "../shared/data")))
    ap.add_argument("--out", type=Path, default=Path("tests/reference/graph_stats.json"))
    args = ap.parse_args()
    out = {name: stats(read(args.data_dir / rel)) for name, rel in GRAPHS.items()}
    args.out.write_text(json.dumps(out, indent=2, sort_keys=True) + "\n")
    print(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
