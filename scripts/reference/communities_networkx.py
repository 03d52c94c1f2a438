#!/usr/bin/env python3
"""Produce networkx and igraph reference values for `clout graph communities`.

Communities are defined on the undirected graph, so each selected real graph is read as
``nx.Graph`` with clout's semantics (the loader of ``centrality_networkx.py``: self-loops
dropped, duplicates merged, ``a b`` and ``b a`` one edge). For each graph the script writes
``<out-dir>/<name>.json`` holding

* ``nodes``, ``edges`` of the undirected graph;
* the modularity (resolution 1) that each peer's method reaches, per seed 0..4:
  networkx ``louvain_communities`` (threshold 1e-7) and ``asyn_lpa_communities``, igraph
  ``community_multilevel``, ``community_leiden(objective_function="modularity",
  n_iterations=-1)`` and ``community_label_propagation``; with their community counts;
* ``partition`` (only for graphs of at most 5,000 nodes): networkx Louvain's communities with
  seed 0, as a community number per id (``ids`` sorted), and ``partition_modularity``, the
  value ``nx.community.modularity`` gives it at resolutions 1 and 0.5, so that clout's own
  modularity function can be checked on a partition it did not make.

Floats are written with ``repr`` (shortest round-trip).

Usage (from the repository root):

    python3 scripts/reference/communities_networkx.py            # all graphs
    python3 scripts/reference/communities_networkx.py --graph email-eu-core

Needs networkx and igraph (``pip install networkx igraph``). Data directory precedence:
--data-dir, then $CLOUT_DATA_DIR, then ``<repo>/../shared/data``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import igraph as ig
import networkx as nx

sys.path.insert(0, str(Path(__file__).resolve().parent))
from centrality_networkx import read_graph  # noqa: E402

GRAPHS = {
    "email-eu-core": "graphs/email-eu-core/email-Eu-core.txt",
    "college-msg": "graphs/college-msg/CollegeMsg.txt",
    "ego-facebook": "graphs/ego-facebook/facebook_combined.txt.gz",
    "wiki-vote": "graphs/wiki-vote/Wiki-Vote.txt",
    "slashdot": "graphs/slashdot/soc-Slashdot0902.txt.gz",
}
SEEDS = range(5)
PARTITION_MAX_NODES = 5000


def to_igraph(G: nx.Graph, ids: list[str]) -> ig.Graph:
    index = {v: i for i, v in enumerate(ids)}
    return ig.Graph(n=len(ids), edges=[(index[u], index[v]) for u, v in G.edges()])


def peers(G: nx.Graph, ids: list[str]) -> dict:
    h = to_igraph(G, ids)
    out = {}
    runs = {
        "networkx_louvain": lambda s: nx.community.louvain_communities(G, seed=s),
        "networkx_label_propagation": lambda s: list(nx.community.asyn_lpa_communities(G, seed=s)),
    }
    for name, f in runs.items():
        out[name] = [measure_nx(G, f(s)) for s in SEEDS]
    igraph_runs = {
        "igraph_multilevel": lambda: h.community_multilevel(),
        "igraph_leiden": lambda: h.community_leiden(objective_function="modularity", n_iterations=-1),
        "igraph_label_propagation": lambda: h.community_label_propagation(),
    }
    for name, f in igraph_runs.items():
        vals = []
        for s in SEEDS:
            random.seed(s)
            ig.set_random_number_generator(random)
            c = f()
            vals.append({"modularity": h.modularity(c.membership), "communities": len(c)})
        out[name] = vals
    return out


def measure_nx(G: nx.Graph, comms) -> dict:
    return {"modularity": nx.community.modularity(G, comms), "communities": len(comms)}


def run_graph(name: str, rel: str, data_dir: Path, out_dir: Path) -> None:
    G = read_graph(data_dir / rel, True)
    ids = sorted(G.nodes())
    doc = {"graph": rel, "nodes": G.number_of_nodes(), "edges": G.number_of_edges(),
           "networkx": nx.__version__, "igraph": ig.__version__, "seeds": list(SEEDS),
           "methods": peers(G, ids)}
    if G.number_of_nodes() <= PARTITION_MAX_NODES:
        comms = nx.community.louvain_communities(G, seed=0)
        label = {v: c for c, members in enumerate(comms) for v in members}
        doc["ids"] = ids
        doc["partition"] = [label[v] for v in ids]
        doc["partition_modularity"] = {
            "1": nx.community.modularity(G, comms, resolution=1.0),
            "0.5": nx.community.modularity(G, comms, resolution=0.5),
        }
    out = out_dir / f"{name}.json"
    out.write_text(json.dumps(doc, indent=1) + "\n")
    best = {m: max(r["modularity"] for r in v) for m, v in doc["methods"].items()}
    print(name, doc["nodes"], doc["edges"], best, file=sys.stderr)


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--graph", action="append", choices=sorted(GRAPHS))
    p.add_argument("--data-dir", type=Path)
    p.add_argument("--out-dir", type=Path, default=root / "tests" / "reference" / "communities")
    a = p.parse_args()
    import os
    data = a.data_dir or Path(os.environ.get("CLOUT_DATA_DIR", root.parent / "shared" / "data"))
    for name in a.graph or GRAPHS:
        run_graph(name, GRAPHS[name], data, a.out_dir)


if __name__ == "__main__":
    main()
