"""Parquet out of clout (`--parquet` on pagerank, centrality, communities and score; `clout
export` of a store) read back by pandas, polars and DuckDB: the same values in all three, equal
to what the command line prints as CSV or JSON for the same data."""

import io
import json

import duckdb
import pandas as pd
import polars as pl
import pytest

from test_clout import REPO, cli, shared


def read_three(path):
    """The file as pandas, polars and DuckDB see it, checked identical; returns pandas'."""
    a = pd.read_parquet(path)
    b = pl.read_parquet(path).to_pandas()
    c = duckdb.sql(f"select * from read_parquet('{path}')").df()
    assert list(a.columns) == list(b.columns) == list(c.columns)
    for col in a.columns:
        assert plain(a[col]) == plain(b[col]) == plain(c[col]), col
    return a


def plain(column):
    """A column as a list, missing values (NaN, None, NaT) as None so that they compare."""
    return [None if pd.isna(x) else x for x in column.tolist()]


def csv_of(*args):
    return pd.read_csv(io.StringIO(cli(*args, "--csv")), keep_default_na=False,
                       dtype={"id": str})


@pytest.mark.parametrize("command", [
    ["pagerank"],
    ["graph", "centrality", "--measure", "degree,pagerank,core,betweenness"],
    ["graph", "communities", "--seed", "3"],
])
def test_graph_listings_equal_their_csv(tmp_path, command):
    graph = str(shared("graphs/email-eu-core/email-Eu-core.txt"))
    out = tmp_path / "t.parquet"
    full = [*command[:2], graph, *command[2:]] if command[0] == "graph" else [*command, graph]
    cli(*full, "--parquet", "--out", str(out))
    got = read_three(out)
    want = csv_of(*full)
    assert list(got.columns) == list(want.columns)
    assert got["id"].tolist() == want["id"].tolist()
    for col in got.columns[1:]:
        # CSV writes floats with Rust's shortest round-trip form: equal exactly.
        assert got[col].tolist() == want[col].tolist(), col


def test_score_parquet_equals_csv_unrounded(tmp_path):
    demo = REPO / "data" / "demo"
    one = tmp_path / "tw.txt"
    one.write_text("".join(line for line in (demo / "interactions.txt").open()
                           if line.split()[5] == "twitter"))
    out = tmp_path / "s.parquet"
    cli("score", "--interactions", str(one), "--parquet", "--out", str(out))
    got = read_three(out)
    want = csv_of("score", "--interactions", str(one))
    assert list(got.columns) == list(want.columns)
    assert got["id"].tolist() == want["id"].tolist()
    assert (got["score"] - want["score"]).abs().max() <= 0.005 + 1e-9
    assert got["true_reach"].tolist() == want["true_reach"].tolist()
    # Changes before the data begins are missing, not zero, as in the CSV's empty cells.
    assert got["delta_month"].isna().tolist() == (want["delta_month"] == "").tolist()


def test_export_of_a_store_equals_the_command_line(tmp_path):
    store = tmp_path / "runs.store"
    demo = str(REPO / "data" / "demo")
    for as_of in ("2025-12-01", "2025-12-08"):
        cli("run", demo, "--store", str(store), "--keywords", "--show", "0", "--as-of", as_of)
    out = tmp_path / "export"
    cli("export", "--store", str(store), "--out", str(out))
    runs = read_three(out / "runs.parquet")
    assert len(runs) == 2 and runs["as_of"].is_monotonic_increasing
    accounts = read_three(out / "accounts.parquet")
    assert len(accounts) == runs["accounts"].sum()
    boards = read_three(out / "leaderboards.parquet")
    latest = boards[(boards.as_of == runs.as_of.max()) & (boards.topic == "gardening")]
    top = json.loads(cli("top", "--topic", "gardening", "--store", str(store), "-n", "10",
                         "--json"))
    assert latest.sort_values("rank")["account"].head(10).tolist() == \
        [e["account"] for e in top["entries"]]
    history = read_three(out / "history.parquet")
    account = top["entries"][0]["account"]
    mine = history[history.account == account]
    want = json.loads(cli("history", account, "--store", str(store), "--json"))["history"]
    assert mine["as_of"].tolist() == [p["as_of"] for p in want]
    assert mine["score"].tolist() == pytest.approx([p["score"] for p in want], abs=1e-9)
    assert plain(mine["window"]) == [p["window"] for p in want]
    assert mine["calibration"].tolist() == [p["calibration"] for p in want]
