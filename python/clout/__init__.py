"""clout from Python: graphs, PageRank, centralities, communities, explained scores, stored runs.

    import clout
    g = clout.read_graph("follows.txt", undirected=False, weighted=False)
    ranks = g.pagerank()                       # numpy array, one value per node (g.ids order)
    df = g.centrality(["hits", "betweenness"])  # pandas DataFrame with an `id` column
    comms = g.communities(method="leiden", seed=0)
    scores = clout.score(interactions="interactions.txt", follows="follows.txt")
    board = clout.Store("clout.store").leaderboard("gardening")

Every call runs clout's Rust library with the GIL released; errors are `clout.CloutError`
with clout's own messages (file, line and what was wrong).
"""

from __future__ import annotations

import json
import os
import warnings
from typing import Iterable, Optional, Union

import numpy as np
import pandas as pd

from . import _clout
from ._clout import CloutError

__all__ = ["CloutError", "Graph", "Store", "read_graph", "score"]

PathLike = Union[str, "os.PathLike[str]"]


class Graph:
    """A graph read by :func:`read_graph`: nodes ``0..num_nodes-1``, their ids in :attr:`ids`."""

    def __init__(self, inner: _clout.Graph):
        self._g = inner
        self._ids: Optional[np.ndarray] = None

    @property
    def num_nodes(self) -> int:
        return self._g.num_nodes

    @property
    def num_edges(self) -> int:
        """Edges as read (an undirected graph counts each pair once)."""
        return self._g.num_edges

    @property
    def undirected(self) -> bool:
        return self._g.undirected

    @property
    def weighted(self) -> bool:
        return self._g.weighted

    @property
    def ids(self) -> np.ndarray:
        """The id of every node, in node order (numpy array of str objects)."""
        if self._ids is None:
            self._ids = np.array(self._g.ids(), dtype=object)
        return self._ids

    def __repr__(self) -> str:
        kind = "undirected" if self.undirected else "directed"
        return f"<clout.Graph {self.num_nodes} nodes, {self.num_edges} {kind} edges>"

    def pagerank(self, damping: float = 0.85, tol: float = 1e-6, max_iter: int = 100,
                 weighted: bool = False, frame: bool = False):
        """PageRank (networkx's definition and stopping rule): a numpy array in node order,
        or with ``frame=True`` a DataFrame ``id, pagerank`` best first."""
        ranks, iterations, converged = self._g.pagerank(damping, tol, max_iter, weighted)
        if not converged:
            warnings.warn(f"pagerank did not converge in {iterations} iterations", RuntimeWarning)
        if frame:
            return _ranked(pd.DataFrame({"id": self.ids, "pagerank": ranks}), "pagerank")
        return ranks

    def centrality(self, measures: Union[str, Iterable[str]], weighted: bool = False,
                   alpha: float = 0.1, tol: Optional[float] = None,
                   max_iter: Optional[int] = None, samples: Optional[int] = None,
                   seed: int = 0) -> pd.DataFrame:
        """Centralities with networkx's definitions (degree, pagerank, hits, eigenvector, katz,
        core, clustering, triangles, harmonic, betweenness): a DataFrame with an ``id`` column
        and one column per value, in node order."""
        if isinstance(measures, str):
            measures = [m.strip() for m in measures.split(",")]
        cols = self._g.centrality(list(measures), weighted, alpha, tol, max_iter, samples, seed)
        data = {"id": self.ids}
        data.update(cols)
        return pd.DataFrame(data)

    def communities(self, method: str = "leiden", resolution: float = 1.0, seed: int = 0,
                    iterations: Optional[int] = 10, randomness: float = 0.01) -> pd.DataFrame:
        """Communities of the undirected graph: a DataFrame ``id, community`` in node order
        (community 0 is the largest); ``.attrs`` holds ``modularity``, ``sizes``, ``method``,
        ``resolution``, ``seed``, ``rounds`` and ``converged``. ``iterations=None`` runs Leiden
        until a pass changes nothing."""
        r = self._g.communities(method, resolution, seed, iterations, randomness)
        df = pd.DataFrame({"id": self.ids, "community": r["membership"]})
        df.attrs.update(method=method, resolution=resolution, seed=seed,
                        modularity=r["modularity"], sizes=list(r["sizes"]),
                        rounds=r["rounds"], converged=r["converged"])
        return df


def read_graph(path: PathLike, undirected: bool = False, weighted: bool = False,
               lenient: bool = False, keep_self_loops: bool = False) -> Graph:
    """Reads a graph file (edge lists, CSV with a header, and the other formats ``clout graph``
    reads; plain, gzip or zstd). ``undirected``: each edge both ways, ``a b`` and ``b a`` one
    edge (networkx's ``Graph``). ``weighted``: the third column (or the format's weight)."""
    return Graph(_clout.read_graph(os.fspath(path), undirected, weighted, lenient,
                                   keep_self_loops))


def score(interactions: PathLike, follows: Optional[PathLike] = None,
          posts: Optional[PathLike] = None, identities: Optional[PathLike] = None,
          as_of: Optional[str] = None, window: str = "90d", calibration: str = "v5",
          lenient: bool = False, allow_far_times: bool = False,
          deltas: bool = True) -> pd.DataFrame:
    """The explained 1–100 score of every account, best first, with ``clout score --csv``'s
    columns, unrounded: on one network ``id``, ``score``, ``percentile``, the True Reach,
    Amplification and Network Impact columns (counts as integers); over several networks or
    with ``identities`` one row per person with ``id``, ``score``, ``percentile`` and the
    score on each network (``NAME_network`` when a network is named like a fixed column).
    Both end with ``delta_day``, ``delta_week`` and ``delta_month`` (NaN with
    ``deltas=False``, which skips their three re-scorings). Notes about the inputs are issued
    as warnings."""
    cols, notes = _clout.score(os.fspath(interactions), _fspath(follows), _fspath(posts),
                               _fspath(identities), as_of, window, calibration, lenient,
                               allow_far_times, deltas)
    for n in notes:
        warnings.warn(n, UserWarning, stacklevel=2)
    return pd.DataFrame(cols)


class Store:
    """A run store written by ``clout run`` (default ``clout.store``)."""

    def __init__(self, path: PathLike = "clout.store"):
        self.path = os.fspath(path)
        self._s = _clout.Store(self.path)

    def runs(self) -> pd.DataFrame:
        """One row per stored run."""
        return pd.DataFrame(json.loads(self._s.runs_json()))

    def leaderboard(self, topic: str, n: Optional[int] = 20,
                    as_of: Optional[str] = None) -> pd.DataFrame:
        """A topic's leaderboard (rank, account, value, expertise, topical_impact, score) in
        the latest run or the one as of ``as_of``; ``.attrs`` holds the topic's name and path."""
        board = json.loads(self._s.leaderboard_json(topic, as_of))
        df = pd.DataFrame(board["entries"])
        if n is not None:
            df = df.head(n)
        df.attrs.update(topic=board["topic"], name=board["name"], path=board["path"])
        return df

    def history(self, account: str, all_windows: bool = False) -> pd.DataFrame:
        """An account's score at every stored run of the window of its latest run, as ``clout
        history`` compares them (``as_of`` as Unix seconds, ``score``, ``window`` in seconds,
        NaN for all time); ``all_windows=True`` gives every run."""
        return pd.DataFrame(json.loads(self._s.history_json(account, all_windows)),
                            columns=["as_of", "score", "window"])


def _fspath(p: Optional[PathLike]) -> Optional[str]:
    return None if p is None else os.fspath(p)


def _ranked(df: pd.DataFrame, column: str) -> pd.DataFrame:
    return df.sort_values([column, "id"], ascending=[False, True], kind="stable",
                          ignore_index=True)
