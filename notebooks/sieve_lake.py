"""Read the Sieve lake from a Python notebook through ``bin/sieve sql --json``.

No Java kernel and no Spark in the notebook: every query starts ``bin/sieve sql`` (a local JVM
with Spark, a few seconds each), which prints one JSON object per row.

    import sieve_lake
    lake = sieve_lake.Lake()                 # SIEVE_HOME (default: this repo), SIEVE_LAKE (default: $SIEVE_HOME/lake)
    lake.has("gold_shard_manifest")          # is the table there?
    rows = lake.sql("SELECT language, count(*) AS n FROM bronze_documents GROUP BY language")
    out = lake.many(langs="SELECT ...", rules="SELECT ...")   # several queries, one JVM
    sieve_lake.show(rows)                    # a DataFrame when pandas is installed, else a text table

Standard library only; pandas and matplotlib are used when installed (Debian: python3-pandas,
python3-matplotlib).
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import time
from typing import Any, Iterable, Mapping, Sequence

try:
    import pandas as pd
except ImportError:  # pragma: no cover - depends on the machine
    pd = None

try:
    import matplotlib.pyplot as plt
except ImportError:  # pragma: no cover
    plt = None

_VIEW = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class LakeError(RuntimeError):
    """``bin/sieve sql`` failed; the message carries its last lines of output."""


class Lake:
    def __init__(self, lake: str | None = None, home: str | None = None, verbose: bool = True):
        here = os.path.dirname(os.path.abspath(__file__))
        self.home = os.path.abspath(home or os.environ.get("SIEVE_HOME") or os.path.dirname(here))
        self.root = lake or os.environ.get("SIEVE_LAKE") or os.path.join(self.home, "lake")
        self.sieve = os.path.join(self.home, "bin", "sieve")
        self.verbose = verbose
        self._tables: set[str] | None = None
        if not os.access(self.sieve, os.X_OK):
            raise LakeError(f"{self.sieve} not found or not executable: set SIEVE_HOME to the Sieve checkout")

    def __repr__(self) -> str:
        return f"Lake(root={self.root!r}, sieve={self.sieve!r})"

    def _run(self, query: str, limit: int) -> list[dict[str, Any]]:
        argv = [self.sieve, "sql", "--lake", self.root, "--json", "--limit", str(limit), query]
        t0 = time.monotonic()
        p = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
        if p.returncode != 0:
            tail = "\n".join((p.stderr.strip().splitlines() or p.stdout.strip().splitlines() or ["(no output)"])[-8:])
            raise LakeError(f"sieve sql exited with {p.returncode}: {tail}\n  command: {shlex.join(argv)}")
        rows = [json.loads(line) for line in p.stdout.splitlines() if line.startswith("{")]
        if self.verbose:
            print(f"[sieve sql: {len(rows)} rows in {time.monotonic() - t0:.1f} s]")
        return rows

    def sql(self, query: str, limit: int = 10000) -> list[dict[str, Any]]:
        """Runs one Spark SQL query over the lake; rows as dicts, in the query's order (at most ``limit``; 0 = all)."""
        return self._run(query, limit)

    def tables(self, refresh: bool = False) -> set[str]:
        """View names of the Delta tables in the lake (``bronze_documents``, ``sieve_stage_runs``, ...).

        A lake on the local disk is listed directly (a folder holding ``_delta_log`` is a table, at
        most 3 levels down, as ``sieve sql`` finds them); any other URI asks ``sieve sql``.
        """
        if self._tables is None or refresh:
            local = self.root[len("file:"):] if self.root.startswith("file:") else self.root
            if "://" not in self.root and ":" not in local[:2]:
                self._tables = {view_name(t) for t in _discover(local)}
            else:
                self._tables = {r["tableName"] for r in self._run("SHOW TABLES", 0) if r.get("isTemporary", True)}
        return self._tables

    def has(self, *views: str) -> bool:
        """True when every named table is in the lake."""
        return all(v in self.tables() for v in views)

    def missing(self, *views: str) -> list[str]:
        return [v for v in views if v not in self.tables()]

    def many(self, **queries: str) -> dict[str, list[dict[str, Any]]]:
        """Runs several queries in one ``sieve sql`` call (one JVM start instead of one per query).

        Each query becomes ``SELECT '<name>', to_json(struct(*)) FROM (<query>)`` and the parts are
        joined with UNION ALL. Row order is not kept: sort in Python (``show(..., sort=...)``).
        A query may not end with ``;`` or use ``LIMIT`` without ``ORDER BY`` if you care which rows.
        """
        if not queries:
            return {}
        parts = []
        for name, q in queries.items():
            if not _VIEW.match(name):
                raise ValueError(f"bad query name {name!r}")
            parts.append(f"SELECT '{name}' AS q, to_json(struct(*)) AS r FROM ({q.strip().rstrip(';')}) AS {name}")
        rows = self._run("\nUNION ALL\n".join(parts), 0)
        out: dict[str, list[dict[str, Any]]] = {name: [] for name in queries}
        for row in rows:
            out[row["q"]].append(json.loads(row["r"]))
        return out


def view_name(table: str) -> str:
    """SQL view name of a table path, as ``sieve sql`` names it: ``_sieve/stage_runs`` → ``sieve_stage_runs``."""
    return re.sub(r"[/.-]", "_", table).lstrip("_")


def _discover(root: str, max_depth: int = 3) -> list[str]:
    out: list[str] = []

    def walk(d: str, rel: str, depth: int) -> None:
        if os.path.isdir(os.path.join(d, "_delta_log")):
            out.append(rel)
            return
        if depth >= max_depth:
            return
        try:
            names = sorted(os.listdir(d))
        except OSError:
            return
        for n in names:
            if n == "_delta_log" or n.startswith(".") or not os.path.isdir(os.path.join(d, n)):
                continue
            walk(os.path.join(d, n), f"{rel}/{n}" if rel else n, depth + 1)

    if os.path.isdir(root):
        walk(root, "", 0)
    return out


def frame(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None):
    """A pandas DataFrame when pandas is installed, else the rows themselves."""
    if pd is None:
        return list(rows)
    return pd.DataFrame(list(rows), columns=list(columns) if columns else None)


def oneline(s: str) -> str:
    """Text with every run of whitespace (newlines too) as one space, for tables."""
    return " ".join(s.split())


def _cell(v: Any, width: int) -> str:
    s = "null" if v is None else v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)
    s = s.replace("\n", "\\n")
    return s if len(s) <= width else s[: width - 3] + "..."


def show(rows: Sequence[Mapping[str, Any]], columns: Sequence[str] | None = None, sort: str | Sequence[str] | None = None,
         descending: bool = False, title: str | None = None, width: int = 80, max_rows: int = 100) -> None:
    """Displays rows: a DataFrame in Jupyter when pandas is there, else a plain text table."""
    rows = list(rows)
    if title:
        print(title)
    if not rows:
        print("  (no rows)")
        return
    if sort:
        keys = [sort] if isinstance(sort, str) else list(sort)
        rows.sort(key=lambda r: tuple((r.get(k) is None, r.get(k) if r.get(k) is not None else 0) for k in keys),
                  reverse=descending)
    cols = list(columns) if columns else list(dict.fromkeys(k for r in rows for k in r))
    rows = [{k: oneline(v) if isinstance(v, str) else v for k, v in r.items()} for r in rows]
    if pd is not None:
        df = pd.DataFrame(rows, columns=cols)
        for c in cols:  # whole numbers stay whole when a column has gaps
            vals = [r.get(c) for r in rows if r.get(c) is not None]
            if vals and all(isinstance(v, int) and not isinstance(v, bool) for v in vals):
                df[c] = df[c].astype("Int64")
        try:
            from IPython.display import display

            with pd.option_context("display.max_rows", max_rows, "display.max_colwidth", width):
                display(df)
            return
        except ImportError:
            print(df.head(max_rows).to_string())
            return
    table = [[_cell(r.get(c), width) for c in cols] for r in rows[:max_rows]]
    widths = [max([len(c)] + [len(t[i]) for t in table]) for i, c in enumerate(cols)]
    print("  ".join(c.ljust(w) for c, w in zip(cols, widths)))
    print("  ".join("-" * w for w in widths))
    for t in table:
        print("  ".join(v.ljust(w) for v, w in zip(t, widths)))
    if len(rows) > max_rows:
        print(f"  ... {len(rows) - max_rows} more rows")


def bar(labels: Iterable[Any], values: Iterable[float], title: str = "", xlabel: str = "", horizontal: bool = True,
        log: bool = False) -> None:
    """A bar chart with matplotlib when it is installed; otherwise nothing (the table already shows the numbers)."""
    labels, values = [str(x) for x in labels], [float(v or 0) for v in values]
    if plt is None:
        print("(matplotlib not installed: no chart)")
        return
    if not labels:
        return
    fig, ax = plt.subplots(figsize=(8, max(2.0, 0.35 * len(labels) + 1)) if horizontal else (8, 4))
    if horizontal:
        ax.barh(labels[::-1], values[::-1])
        ax.set_xlabel(xlabel)
        if log:
            ax.set_xscale("log")
    else:
        ax.bar(labels, values)
        ax.set_ylabel(xlabel)
        if log:
            ax.set_yscale("log")
    ax.set_title(title)
    fig.tight_layout()
    plt.show()


def absent(*views: str) -> None:
    """The message a cell prints instead of failing when a table is not in the lake yet."""
    print(f"Not in this lake yet: {', '.join(views)}. The stage that writes it has not run here "
          "(bin/sieve pipeline, or the tokenize/train stages); nothing to show.")
