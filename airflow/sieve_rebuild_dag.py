"""Airflow 2.x DAG ``sieve_rebuild``: rebuilds the corpus on a schedule.

ingest >> filter >> dedup >> pii >> decontaminate >> tokenize >> train >> verify_shards

Each Spark stage is ``spark-submit --class dev.sieve.cli.Sieve <jar> <stage> --lake <lake> ...``;
train runs the training launcher's own command (outside Spark); the last task checks every shard
file against ``gold/shard_manifest``. The commands come from ``sieve_stages.py`` (deploy it next to
this file), rendered when a task runs, from the DAG run's params over the Airflow Variable
``sieve`` (a JSON object; keys in sieve_stages.py and the README).

Every stage is incremental and idempotent (MERGE on doc_id, Delta commits atomic), so a retry or
a rerun of a whole DAG run only finishes the work that is left.
"""

from __future__ import annotations

import os
from datetime import datetime, timedelta, timezone

from airflow import DAG
from airflow.models.param import Param
from airflow.operators.bash import BashOperator

import sieve_stages

# Scheduling is read when the file is parsed, so it comes from the environment, not a Variable
# (reading Variables at parse time would hit the metadata database on every parse).
SCHEDULE = os.environ.get("SIEVE_REBUILD_SCHEDULE", "@weekly")
RETRIES = int(os.environ.get("SIEVE_REBUILD_RETRIES", "2"))
RETRY_DELAY_MIN = int(os.environ.get("SIEVE_REBUILD_RETRY_DELAY_MIN", "10"))

default_args = {
    "owner": "sieve",
    "depends_on_past": False,
    "retries": RETRIES,
    "retry_delay": timedelta(minutes=RETRY_DELAY_MIN),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(hours=2),
}

# Empty params fall back to the Variable "sieve", then to sieve_stages.DEFAULTS.
params = {
    "lake": Param("", type="string", description="Lake URI, e.g. s3a://bucket/lake"),
    "inputs": Param([], type="array", description="Paths/URIs/globs ingest reads"),
    "jar": Param("", type="string", description="spark-submit jar (sieve-spark.jar)"),
    "config": Param("", type="string", description="Sieve YAML config file, passed as --config"),
    "spark_submit": Param("", type="string", description="spark-submit executable"),
    "spark_args": Param([], type="array", description='spark-submit options, e.g. ["--master", "yarn"]'),
    "spark_conf": Param({}, type="object", description="Spark settings, each passed as --conf k=v"),
    "train_command": Param("", type="string", description="Training launcher command (default: sieve train submit --wait)"),
    "train_args": Param([], type="array", description="Extra arguments for the training command"),
}


def stage_task(task_id: str, **kwargs) -> BashOperator:
    """One task: its command is rendered at run time by sieve_stages.task_command."""
    return BashOperator(
        task_id=task_id,
        bash_command=(
            "{{ sieve_command('" + task_id + "', params, var.json.get('sieve', {}), ts_nodash, ti.try_number) }}"
        ),
        **kwargs,
    )


with DAG(
    dag_id="sieve_rebuild",
    description="Rebuild the Sieve corpus: ingest, filter, dedup, pii, decontaminate, tokenize, train, verify shards",
    schedule=SCHEDULE,
    start_date=datetime(2024, 1, 1, tzinfo=timezone.utc),
    catchup=False,
    max_active_runs=1,
    default_args=default_args,
    params=params,
    user_defined_macros={"sieve_command": sieve_stages.task_command},
    tags=["sieve", "data"],
    doc_md=__doc__,
) as dag:
    ingest = stage_task("ingest")
    filter_ = stage_task("filter")
    dedup = stage_task("dedup")
    pii = stage_task("pii")
    # Exits 0 with a note when no benchmarks are configured: tokenize then reads silver/clean.
    decontaminate = stage_task("decontaminate")
    tokenize = stage_task("tokenize")
    # Training can run for days: no automatic retry storm, and a relaunch resumes (same run id).
    train = stage_task("train", retries=1)
    verify_shards = stage_task(sieve_stages.VERIFY_TASK_ID)

    ingest >> filter_ >> dedup >> pii >> decontaminate >> tokenize >> train >> verify_shards
