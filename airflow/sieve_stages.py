"""The Sieve stages and the commands that run them, for the Airflow rebuild DAG.

Pure Python (standard library only, no Airflow import), so CI tests it without Airflow:
``sieve_rebuild_dag.py`` calls :func:`task_command` from its task templates.

Settings come from three places, first non-empty wins: the DAG run's params (trigger with
config), the Airflow Variable ``sieve`` (a JSON object), then :data:`DEFAULTS`. Keys:

``lake``              lake URI (``s3a://bucket/lake``, ``hdfs:///lake``, a local folder); required
``inputs``            what ``ingest`` reads: a list of paths/URIs/globs (or one string, split on spaces)
``jar``               the spark-submit jar (``cli/target/sieve-spark.jar``)
``config``            YAML config file passed to every command as ``--config`` (optional)
``spark_submit``      the spark-submit executable
``spark_args``        spark-submit options before ``--class``, e.g. ``["--master", "yarn"]``
``spark_conf``        ``{"spark.executor.memory": "8g"}`` → ``--conf k=v`` (sorted by key)
``train_command``     the training launcher's command (runs outside Spark); empty = skip training
``train_args``        extra arguments for the training command, e.g. ``["--spec", "job.yaml"]``
"""

from __future__ import annotations

import json
import re
import shlex
from typing import Any, Iterable, Mapping, Sequence

#: The stages in data-flow order (DESIGN.md); the DAG has one task per stage, chained in this order.
STAGES: tuple[str, ...] = ("ingest", "filter", "dedup", "pii", "decontaminate", "tokenize", "train")
#: Stages that are Spark jobs, run through ``spark-submit``.
#: ``decontaminate`` always runs as a task: without ``decontaminate.benchmarks`` in the config it
#: says so and exits 0 (tokenize then reads silver/clean).
SPARK_STAGES: tuple[str, ...] = ("ingest", "filter", "dedup", "pii", "decontaminate", "tokenize")
#: The last task: check every shard file against ``gold/shard_manifest`` (a Spark job too).
VERIFY_COMMAND: tuple[str, ...] = ("shards", "verify")
VERIFY_TASK_ID = "verify_shards"
#: The main class of the spark-submit jar.
MAIN_CLASS = "dev.sieve.cli.Sieve"

DEFAULTS: dict[str, Any] = {
    "lake": "",
    "inputs": [],
    "jar": "cli/target/sieve-spark.jar",
    "config": "",
    "spark_submit": "spark-submit",
    "spark_args": [],
    "spark_conf": {},
    "train_command": "sieve train submit --wait",
    "train_args": [],
}

_RUN_ID_BAD = re.compile(r"[^A-Za-z0-9._-]+")


class SettingsError(ValueError):
    """A missing or malformed setting; the message names the key."""


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, (str, list, tuple, dict)) and len(v) == 0)


def _as_list(key: str, v: Any) -> list[str]:
    if _empty(v):
        return []
    if isinstance(v, str):
        s = v.strip()
        if s.startswith("["):
            try:
                v = json.loads(s)
            except json.JSONDecodeError as e:
                raise SettingsError(f"{key}: not a JSON list: {e}") from None
        else:
            return shlex.split(s)
    if not isinstance(v, (list, tuple)) or not all(isinstance(x, (str, int, float)) for x in v):
        raise SettingsError(f"{key}: expected a list of strings, got {v!r}")
    return [str(x) for x in v]


def _as_dict(key: str, v: Any) -> dict[str, str]:
    if _empty(v):
        return {}
    if isinstance(v, str):
        try:
            v = json.loads(v)
        except json.JSONDecodeError as e:
            raise SettingsError(f"{key}: not a JSON object: {e}") from None
    if not isinstance(v, Mapping):
        raise SettingsError(f"{key}: expected an object of Spark settings, got {v!r}")
    return {str(k): str(x) for k, x in v.items()}


def resolve(params: Mapping[str, Any] | None = None, variable: Mapping[str, Any] | str | None = None) -> dict[str, Any]:
    """Merges DAG params over the ``sieve`` Variable over :data:`DEFAULTS`; normalises the types.

    Unknown keys are errors (a typo would otherwise be ignored silently).
    """
    if isinstance(variable, str):
        variable = json.loads(variable) if variable.strip() else {}
    layers = [dict(variable or {}), dict(params or {})]
    out = dict(DEFAULTS)
    for layer in layers:
        for k, v in layer.items():
            if k not in DEFAULTS:
                raise SettingsError(f"unknown setting '{k}' (known: {', '.join(DEFAULTS)})")
            if not _empty(v):
                out[k] = v
    for k in ("inputs", "spark_args", "train_args"):
        out[k] = _as_list(k, out[k])
    out["spark_conf"] = _as_dict("spark_conf", out["spark_conf"])
    for k in ("lake", "jar", "config", "spark_submit", "train_command"):
        out[k] = "" if out[k] is None else str(out[k]).strip()
    if not out["lake"]:
        raise SettingsError("lake: not set (DAG param 'lake' or Variable sieve.lake)")
    return out


def spark_submit_argv(command: str | Sequence[str], settings: Mapping[str, Any], run_id: str | None = None) -> list[str]:
    """``spark-submit [args] [--conf k=v]... --class dev.sieve.cli.Sieve JAR <command> --lake L [--config C] [--run-id R]``.

    ``ingest`` also gets ``--input`` with every input; ``command`` may be several words
    (``("shards", "verify")``).
    """
    words = [command] if isinstance(command, str) else list(command)
    if not settings.get("jar"):
        raise SettingsError("jar: not set")
    argv = [settings["spark_submit"], *settings["spark_args"]]
    for k, v in sorted(settings["spark_conf"].items()):
        argv += ["--conf", f"{k}={v}"]
    argv += ["--class", MAIN_CLASS, settings["jar"], *words, "--lake", settings["lake"]]
    if settings.get("config"):
        argv += ["--config", settings["config"]]
    if run_id:
        argv += ["--run-id", run_id]
    if words == ["ingest"]:
        if not settings["inputs"]:
            raise SettingsError("inputs: ingest needs at least one input path (DAG param 'inputs' or Variable sieve.inputs)")
        argv += ["--input", *settings["inputs"]]
    return argv


def train_argv(settings: Mapping[str, Any], run_id: str | None = None) -> list[str]:
    """The training launcher's command: ``<train_command> --lake L [--config C] [--run-id R] [train_args]``.

    An empty ``train_command`` means no training: the result is an empty list.
    """
    base = shlex.split(settings.get("train_command") or "")
    if not base:
        return []
    argv = [*base, "--lake", settings["lake"]]
    if settings.get("config"):
        argv += ["--config", settings["config"]]
    if run_id:
        argv += ["--run-id", run_id]
    return argv + list(settings["train_args"])


def run_id_for(stage: str, ts_nodash: str, try_number: int | str) -> str:
    """A Sieve run id that ties a stage run to its Airflow run: ``<stage>-af-<ts>-try<N>`` (``-try`` left out when N is empty)."""
    rid = f"{stage}-af-{ts_nodash}" + (f"-try{try_number}" if str(try_number) else "")
    return _RUN_ID_BAD.sub("_", rid)[:128]


def argv_for(task: str, settings: Mapping[str, Any], run_id: str | None = None) -> list[str]:
    """The argv of one DAG task: a stage name, or :data:`VERIFY_TASK_ID`."""
    if task in SPARK_STAGES:
        return spark_submit_argv(task, settings, run_id)
    if task == "train":
        return train_argv(settings, run_id)
    if task == VERIFY_TASK_ID:
        return spark_submit_argv(VERIFY_COMMAND, settings, run_id)
    raise SettingsError(f"unknown task '{task}' (known: {', '.join(STAGES + (VERIFY_TASK_ID,))})")


def task_command(task: str, params: Mapping[str, Any] | None, variable: Mapping[str, Any] | str | None,
                 ts_nodash: str = "", try_number: int | str = 1) -> str:
    """The shell command of one DAG task (what BashOperator runs); used as a Jinja macro by the DAG."""
    settings = resolve(params, variable)
    rid = None
    if ts_nodash and task in SPARK_STAGES:
        rid = run_id_for(task, ts_nodash, try_number)
    elif ts_nodash and task == "train":
        # The same id on every try: a retried or relaunched training run resumes from its newest
        # checkpoint under runs/<run_id> instead of starting a new run.
        rid = run_id_for(task, ts_nodash, "")
    argv = argv_for(task, settings, rid)
    if not argv:
        return "echo 'sieve: training skipped (train_command is empty)'"
    return shlex.join(argv)


def task_ids() -> list[str]:
    """Every task of the DAG in order: the stages, then the shard check."""
    return [*STAGES, VERIFY_TASK_ID]


def _main(args: Iterable[str]) -> int:
    """``python3 sieve_stages.py TASK [settings JSON]``: prints a task's command (for checking by hand)."""
    a = list(args)
    if not a:
        print("usage: sieve_stages.py TASK ['{\"lake\": ...}']  (tasks: " + " ".join(task_ids()) + ")")
        return 2
    print(task_command(a[0], json.loads(a[1]) if len(a) > 1 else {}, None))
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(_main(sys.argv[1:]))
