#!/usr/bin/env python3
"""Write the graph-format fixtures and their networkx reference values.

One small weighted directed graph (12 labelled nodes, one of them isolated; no
self-loops, no parallel edges) is written by networkx (and igraph, when it is
installed) in every format clout reads by content:

    data/fixtures/graphs/directed.graphml      nx.write_graphml(DiGraph), ids n0.., label data
    data/fixtures/graphs/directed.graphml.gz   the same, gzip (mtime 0)
    data/fixtures/graphs/undirected.graphml    nx.write_graphml(Graph): edgedefault="undirected"
    data/fixtures/graphs/directed.gml          nx.write_gml(DiGraph): directed 1
    data/fixtures/graphs/undirected.gml        nx.write_gml(Graph): no `directed` key
    data/fixtures/graphs/igraph.gml            igraph's write_gml (Creator/Version, `label`)
    data/fixtures/graphs/directed.net          nx.write_pajek(DiGraph): *vertices, *arcs
    data/fixtures/graphs/undirected.net        nx.write_pajek(Graph): *edges
    data/fixtures/graphs/nx_dict.edgelist      nx.write_edgelist(DiGraph): `a b {'weight': 2.0}`
    data/fixtures/graphs/semicolon.csv         source;target;weight
    data/fixtures/graphs/pipe.csv              from|to|weight
    data/fixtures/graphs/connected.graphml     the graph without its isolated node, GraphML
    data/fixtures/graphs/connected.edges       the same as a plain `src dst weight` edge list

Edge lists cannot hold an isolated node and name nodes by one whitespace-free
token, so they hold the graph without its isolated node, spaces in labels as `_`.

For each fixture, networkx reads the file back with its own reader
(nx.read_graphml, nx.read_gml, nx.read_pajek, nx.read_edgelist(data=True); the
CSVs with Python's csv module) and tests/reference/formats/<fixture>.json gets:
whether networkx reads it directed, node and edge counts, and PageRank by node
label (GraphML: the `label` data, else the id), unweighted and weighted, with
nx.pagerank(alpha=0.85, tol=1e-12, max_iter=10000). Multigraphs (read_pajek)
are made simple first (there are no parallel edges to merge).

Usage (from the repository root): python3 scripts/reference/graph_formats.py
"""

from __future__ import annotations

import csv
import gzip
import json
import random
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "data" / "fixtures" / "graphs"
REFERENCE = ROOT / "tests" / "reference" / "formats"

LABELS = [
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
    "ivan", "judy", "mallory o'neil", "zoë & co",
]
ISOLATED = "judy"
WEIGHTS = [0.5, 1.0, 1.5, 2.0, 2.25, 3.0, 4.0]


def base_graph() -> nx.DiGraph:
    """The graph: nodes named by their labels, 26 weighted edges, `judy` isolated."""
    rng = random.Random(15)
    g = nx.DiGraph()
    g.add_nodes_from(LABELS)
    linked = [n for n in LABELS if n != ISOLATED]
    while g.number_of_edges() < 26:
        a, b = rng.sample(linked, 2)
        if not g.has_edge(a, b):
            g.add_edge(a, b, weight=rng.choice(WEIGHTS))
    return g


def by_id(g: nx.DiGraph) -> nx.DiGraph:
    """Nodes n0, n1, … with their names as `label` data (as GraphML exporters write them)."""
    ids = {n: f"n{i}" for i, n in enumerate(g.nodes)}
    h = nx.relabel_nodes(g, ids)
    for n, i in ids.items():
        h.nodes[i]["label"] = n
    return h


def slug(n: str) -> str:
    return n.replace(" ", "_")


def edge_list_graph(g: nx.DiGraph) -> nx.DiGraph:
    """The graph an edge list can hold: no isolated node, whitespace-free names."""
    h = g.copy()
    h.remove_nodes_from([n for n in g if g.degree(n) == 0])
    return nx.relabel_nodes(h, slug)


def write_fixtures(g: nx.DiGraph) -> None:
    FIXTURES.mkdir(parents=True, exist_ok=True)
    f = FIXTURES
    nx.write_graphml(by_id(g), f / "directed.graphml")
    with open(f / "directed.graphml", "rb") as src:
        data = src.read()
    with open(f / "directed.graphml.gz", "wb") as out:
        with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0) as z:
            z.write(data)
    nx.write_graphml(by_id(g.to_undirected()), f / "undirected.graphml")
    nx.write_gml(g, f / "directed.gml")
    nx.write_gml(g.to_undirected(), f / "undirected.gml")
    nx.write_pajek(g, f / "directed.net")
    nx.write_pajek(g.to_undirected(), f / "undirected.net")
    e = edge_list_graph(g)
    nx.write_edgelist(e, f / "nx_dict.edgelist")
    for name, sep, header in [
        ("semicolon.csv", ";", ["source", "target", "weight"]),
        ("pipe.csv", "|", ["from", "to", "weight"]),
    ]:
        with open(f / name, "w", newline="", encoding="utf-8") as out:
            w = csv.writer(out, delimiter=sep, lineterminator="\n")
            w.writerow(header)
            for a, b, d in e.edges(data=True):
                w.writerow([a, b, d["weight"]])
    connected = g.copy()
    connected.remove_node(ISOLATED)
    nx.write_graphml(by_id(connected), f / "connected.graphml")
    nx.write_weighted_edgelist(e, f / "connected.edges")
    write_igraph(g)


def write_igraph(g: nx.DiGraph) -> None:
    try:
        import igraph
    except ImportError:
        print("igraph not installed: igraph.gml not rewritten")
        return
    names = list(g.nodes)
    ig = igraph.Graph(directed=True)
    ig.add_vertices(len(names))
    ig.vs["label"] = names
    index = {n: i for i, n in enumerate(names)}
    ig.add_edges([(index[a], index[b]) for a, b in g.edges])
    ig.es["weight"] = [d["weight"] for _, _, d in g.edges(data=True)]
    path = FIXTURES / "igraph.gml"
    ig.write_gml(str(path))
    # igraph stamps the time into its Creator line: left out, so that runs agree.
    text = path.read_text(encoding="utf-8").split("\n", 1)[1]
    path.write_text(f'Creator "igraph version {igraph.__version__}"\n{text}', encoding="utf-8")


def read_csv(path: Path, sep: str) -> nx.DiGraph:
    g = nx.DiGraph()
    with open(path, newline="", encoding="utf-8") as f:
        rows = csv.reader(f, delimiter=sep)
        next(rows)
        for a, b, w in rows:
            g.add_edge(a, b, weight=float(w))
    return g


def simple(g: nx.Graph) -> nx.Graph:
    if not g.is_multigraph():
        return g
    assert g.number_of_edges() == nx.Graph(g).number_of_edges() or g.is_directed()
    return nx.DiGraph(g) if g.is_directed() else nx.Graph(g)


def labelled(g: nx.Graph, label: str | None) -> nx.Graph:
    """Nodes renamed to their `label` attribute (GraphML ids → labels)."""
    if label is None:
        return g
    return nx.relabel_nodes(g, {n: d.get(label, n) for n, d in g.nodes(data=True)})


def pagerank(g: nx.Graph, weight: str | None) -> dict[str, float]:
    pr = nx.pagerank(g, alpha=0.85, tol=1e-12, max_iter=10000, weight=weight)
    return {str(n): r for n, r in sorted(pr.items(), key=lambda x: str(x[0]))}


READERS = {
    "directed.graphml": ("nx.read_graphml", lambda p: labelled(nx.read_graphml(p), "label")),
    "directed.graphml.gz": ("nx.read_graphml", lambda p: labelled(nx.read_graphml(p), "label")),
    "undirected.graphml": ("nx.read_graphml", lambda p: labelled(nx.read_graphml(p), "label")),
    "directed.gml": ("nx.read_gml", nx.read_gml),
    "undirected.gml": ("nx.read_gml", nx.read_gml),
    # igraph writes UTF-8, which nx.read_gml refuses: parse_gml reads the decoded text.
    "igraph.gml": (
        "nx.parse_gml",
        lambda p: nx.parse_gml(p.read_text(encoding="utf-8")),
    ),
    "directed.net": ("nx.read_pajek", lambda p: simple(nx.read_pajek(p))),
    "undirected.net": ("nx.read_pajek", lambda p: simple(nx.read_pajek(p))),
    "nx_dict.edgelist": (
        "nx.read_edgelist(data=True)",
        lambda p: nx.read_edgelist(p, create_using=nx.DiGraph, data=True),
    ),
    "semicolon.csv": ("csv.reader(delimiter=';')", lambda p: read_csv(p, ";")),
    "pipe.csv": ("csv.reader(delimiter='|')", lambda p: read_csv(p, "|")),
    "connected.graphml": ("nx.read_graphml", lambda p: labelled(nx.read_graphml(p), "label")),
    "connected.edges": (
        "nx.read_weighted_edgelist",
        lambda p: nx.read_weighted_edgelist(p, create_using=nx.DiGraph),
    ),
}


def check_igraph(g: nx.Graph) -> None:
    """igraph's own PageRank of its file agrees with networkx's reading of it."""
    try:
        import igraph
    except ImportError:
        return
    ig = igraph.Graph.Read_GML(str(FIXTURES / "igraph.gml"))
    for weights in (None, "weight"):
        ranks = ig.pagerank(damping=0.85, weights=weights)
        want = pagerank(g, weights)
        for v, r in zip(ig.vs, ranks):
            assert abs(want[v["label"]] - r) < 1e-9, (v["label"], r, want[v["label"]])


def main() -> None:
    write_fixtures(base_graph())
    REFERENCE.mkdir(parents=True, exist_ok=True)
    for name, (reader, read) in READERS.items():
        path = FIXTURES / name
        if not path.exists():
            continue
        g = read(path)
        if name == "igraph.gml":
            check_igraph(g)
        ref = {
            "file": f"data/fixtures/graphs/{name}",
            "reader": reader,
            "networkx": nx.__version__,
            "directed": g.is_directed(),
            "nodes": g.number_of_nodes(),
            "edges": g.number_of_edges(),
            "pagerank": pagerank(g, None),
            "pagerank_weighted": pagerank(g, "weight"),
        }
        out = REFERENCE / f"{name}.json"
        out.write_text(json.dumps(ref, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"{name}: {ref['nodes']} nodes, {ref['edges']} edges, directed {ref['directed']}")


if __name__ == "__main__":
    main()
