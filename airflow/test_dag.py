"""Tests for the rebuild DAG without Airflow: ``python3 -m unittest discover -s airflow -v``.

- the DAG file compiles, and its syntax tree shows one task per stage in order, chained, with
  retries, catchup off and one active run;
- the command builder gives the exact spark-submit argv of each stage;
- the DAG file imported against a stand-in for the three Airflow names it uses has the expected
  tasks and edges, and (when jinja2 is installed) its task templates render to the builder's
  commands.
"""

from __future__ import annotations

import ast
import os
import py_compile
import shlex
import sys
import tempfile
import types
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
DAG_FILE = os.path.join(HERE, "sieve_rebuild_dag.py")
if HERE not in sys.path:
    sys.path.insert(0, HERE)

import sieve_stages  # noqa: E402

EXPECTED_TASKS = ["ingest", "filter", "dedup", "pii", "decontaminate", "tokenize", "train", "verify_shards"]


def _const(node: ast.AST):
    """Value of a literal, or of a ``sieve_stages.NAME`` reference."""
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "sieve_stages":
        return getattr(sieve_stages, node.attr)
    return ast.literal_eval(node)


def _flatten_rshift(node: ast.AST) -> list[str]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.RShift):
        return _flatten_rshift(node.left) + _flatten_rshift(node.right)
    if isinstance(node, ast.Name):
        return [node.id]
    raise AssertionError(f"unexpected node in the task chain: {ast.dump(node)}")


class DagSyntaxTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        with open(DAG_FILE, encoding="utf-8") as f:
            cls.tree = ast.parse(f.read(), DAG_FILE)
        withs = [n for n in cls.tree.body if isinstance(n, ast.With)]
        assert len(withs) == 1, "expected one top-level 'with DAG(...) as dag:' block"
        cls.with_block = withs[0]
        call = cls.with_block.items[0].context_expr
        assert isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id == "DAG"
        cls.dag_call = call

    def test_compiles(self):
        with tempfile.TemporaryDirectory() as d:
            for f in (DAG_FILE, os.path.join(HERE, "sieve_stages.py")):
                py_compile.compile(f, cfile=os.path.join(d, os.path.basename(f) + "c"), doraise=True)

    def test_stage_module_has_no_airflow_import(self):
        with open(os.path.join(HERE, "sieve_stages.py"), encoding="utf-8") as f:
            tree = ast.parse(f.read())
        for n in ast.walk(tree):
            if isinstance(n, ast.Import):
                self.assertFalse(any(a.name.split(".")[0] == "airflow" for a in n.names))
            if isinstance(n, ast.ImportFrom):
                self.assertNotEqual((n.module or "").split(".")[0], "airflow")

    def test_dag_settings(self):
        kw = {k.arg: k.value for k in self.dag_call.keywords}
        self.assertEqual(_const(kw["dag_id"]), "sieve_rebuild")
        self.assertIs(_const(kw["catchup"]), False)
        self.assertEqual(_const(kw["max_active_runs"]), 1)
        self.assertIn("schedule", kw)
        # default_args is a module-level dict with retries and a retry delay.
        self.assertIsInstance(kw["default_args"], ast.Name)
        assigns = {t.id: n.value for n in self.tree.body if isinstance(n, ast.Assign) for t in n.targets if isinstance(t, ast.Name)}
        default_args = assigns[kw["default_args"].id]
        self.assertIsInstance(default_args, ast.Dict)
        keys = [_const(k) for k in default_args.keys]
        self.assertIn("retries", keys)
        self.assertIn("retry_delay", keys)
        # The commands come from sieve_stages at run time.
        macros = kw["user_defined_macros"]
        self.assertIsInstance(macros, ast.Dict)
        self.assertEqual(ast.unparse(macros.values[0]), "sieve_stages.task_command")

    def _tasks(self) -> list[tuple[str, str]]:
        """(variable, task_id) of every ``x = stage_task("id")`` in the DAG block, in source order."""
        out = []
        for n in self.with_block.body:
            if isinstance(n, ast.Assign) and isinstance(n.value, ast.Call) and isinstance(n.value.func, ast.Name) \
                    and n.value.func.id == "stage_task":
                out.append((n.targets[0].id, _const(n.value.args[0])))
        return out

    def test_one_task_per_stage_in_order(self):
        ids = [t for _, t in self._tasks()]
        self.assertEqual(ids, EXPECTED_TASKS)
        self.assertEqual(ids, sieve_stages.task_ids())
        self.assertEqual(list(sieve_stages.STAGES), EXPECTED_TASKS[:-1])

    def test_tasks_are_chained_in_order(self):
        var_to_id = dict(self._tasks())
        chains = [n.value for n in self.with_block.body
                  if isinstance(n, ast.Expr) and isinstance(n.value, ast.BinOp) and isinstance(n.value.op, ast.RShift)]
        self.assertEqual(len(chains), 1, "expected one 'a >> b >> ...' chain")
        self.assertEqual([var_to_id[v] for v in _flatten_rshift(chains[0])], EXPECTED_TASKS)


class CommandBuilderTest(unittest.TestCase):
    SETTINGS = {
        "lake": "s3a://bucket/lake",
        "inputs": ["s3a://bucket/crawl/2024-10/", "s3a://bucket/wudao/*.json"],
        "jar": "/opt/sieve/sieve-spark.jar",
        "config": "/opt/sieve/prod.yaml",
        "spark_submit": "/opt/spark/bin/spark-submit",
        "spark_args": ["--master", "yarn", "--deploy-mode", "client"],
        "spark_conf": {"spark.sql.shuffle.partitions": 512, "spark.executor.memory": "8g"},
        "train_command": "sieve train submit",
        "train_args": ["--spec", "/opt/sieve/job.yaml"],
    }

    def settings(self, **over):
        return sieve_stages.resolve(dict(self.SETTINGS, **over))

    def test_ingest_argv(self):
        self.assertEqual(sieve_stages.spark_submit_argv("ingest", self.settings(), "ingest-af-20240101T000000-try1"), [
            "/opt/spark/bin/spark-submit", "--master", "yarn", "--deploy-mode", "client",
            "--conf", "spark.executor.memory=8g", "--conf", "spark.sql.shuffle.partitions=512",
            "--class", "dev.sieve.cli.Sieve", "/opt/sieve/sieve-spark.jar",
            "ingest", "--lake", "s3a://bucket/lake", "--config", "/opt/sieve/prod.yaml",
            "--run-id", "ingest-af-20240101T000000-try1",
            "--input", "s3a://bucket/crawl/2024-10/", "s3a://bucket/wudao/*.json",
        ])

    def test_filter_argv_minimal(self):
        s = sieve_stages.resolve({"lake": "/data/lake"})
        self.assertEqual(sieve_stages.spark_submit_argv("filter", s), [
            "spark-submit", "--class", "dev.sieve.cli.Sieve", "cli/target/sieve-spark.jar", "filter", "--lake", "/data/lake",
        ])

    def test_every_spark_stage_and_verify(self):
        s = self.settings()
        for stage in ("filter", "dedup", "pii", "decontaminate", "tokenize"):
            argv = sieve_stages.argv_for(stage, s)
            i = argv.index("--class")
            self.assertEqual(argv[i:i + 4], ["--class", "dev.sieve.cli.Sieve", "/opt/sieve/sieve-spark.jar", stage])
            self.assertNotIn("--input", argv)
        argv = sieve_stages.argv_for("verify_shards", s)
        i = argv.index("--class")
        self.assertEqual(argv[i + 3:], ["shards", "verify", "--lake", "s3a://bucket/lake", "--config", "/opt/sieve/prod.yaml"])

    def test_train_is_its_own_command(self):
        self.assertEqual(sieve_stages.train_argv(self.settings(), "train-af-20240101T000000"), [
            "sieve", "train", "submit", "--lake", "s3a://bucket/lake", "--config", "/opt/sieve/prod.yaml",
            "--run-id", "train-af-20240101T000000", "--spec", "/opt/sieve/job.yaml",
        ])
        s = self.settings(train_command="/opt/sieve/bin/sieve train submit --backend k8s", config="")
        self.assertEqual(sieve_stages.argv_for("train", s)[:6],
                         ["/opt/sieve/bin/sieve", "train", "submit", "--backend", "k8s", "--lake"])

    def test_task_command_run_ids(self):
        cmd = sieve_stages.task_command("dedup", {"lake": "L"}, None, "20240301T000000", 3)
        self.assertEqual(shlex.split(cmd)[-2:], ["--run-id", "dedup-af-20240301T000000-try3"])
        # Training keeps one run id across tries, so a retry resumes the same run.
        cmd = sieve_stages.task_command("train", {"lake": "L"}, None, "20240301T000000", 3)
        self.assertEqual(shlex.split(cmd)[-2:], ["--run-id", "train-af-20240301T000000"])
        self.assertNotIn("--run-id", sieve_stages.task_command("verify_shards", {"lake": "L"}, None, "20240301T000000", 1))

    def test_empty_train_command_skips_training(self):
        cmd = sieve_stages.task_command("train", {"lake": "L", "train_command": ""}, {"train_command": " "})
        self.assertTrue(cmd.startswith("echo "), cmd)

    def test_params_over_variable_over_defaults(self):
        var = '{"lake": "s3a://var/lake", "jar": "/var.jar", "spark_conf": {"a": "1"}, "inputs": "x y"}'
        s = sieve_stages.resolve({"lake": "s3a://param/lake", "jar": "", "inputs": []}, var)
        self.assertEqual(s["lake"], "s3a://param/lake")
        self.assertEqual(s["jar"], "/var.jar")
        self.assertEqual(s["spark_conf"], {"a": "1"})
        self.assertEqual(s["inputs"], ["x", "y"])
        self.assertEqual(s["spark_submit"], "spark-submit")

    def test_quoting(self):
        cmd = sieve_stages.task_command("ingest", {"lake": "/data/my lake", "inputs": ["/in/a b"]}, None)
        self.assertEqual(shlex.split(cmd)[-5:], ["ingest", "--lake", "/data/my lake", "--input", "/in/a b"])
        self.assertIn("'/data/my lake'", cmd)
        self.assertIn("'/in/a b'", cmd)

    def test_errors_name_the_key(self):
        with self.assertRaisesRegex(sieve_stages.SettingsError, "^lake"):
            sieve_stages.resolve({})
        with self.assertRaisesRegex(sieve_stages.SettingsError, "^inputs"):
            sieve_stages.argv_for("ingest", sieve_stages.resolve({"lake": "L"}))
        with self.assertRaisesRegex(sieve_stages.SettingsError, "unknown setting 'lakes'"):
            sieve_stages.resolve({"lake": "L", "lakes": "x"})
        with self.assertRaisesRegex(sieve_stages.SettingsError, "^spark_conf"):
            sieve_stages.resolve({"lake": "L", "spark_conf": "[1]"})
        with self.assertRaisesRegex(sieve_stages.SettingsError, "unknown task"):
            sieve_stages.argv_for("report", sieve_stages.resolve({"lake": "L"}))


class _FakeOperator:
    def __init__(self, task_id, bash_command, **kwargs):
        self.task_id, self.bash_command, self.kwargs = task_id, bash_command, kwargs
        self.downstream: list[str] = []
        _FakeDag.current.tasks.append(self)

    def __rshift__(self, other):
        self.downstream.append(other.task_id)
        return other


class _FakeDag:
    current = None

    def __init__(self, **kwargs):
        self.kwargs, self.tasks = kwargs, []

    def __enter__(self):
        _FakeDag.current = self
        return self

    def __exit__(self, *exc):
        _FakeDag.current = None
        return False


def _import_dag_with_fake_airflow():
    """Imports the DAG file with stand-ins for airflow.DAG, Param and BashOperator."""
    fakes = {
        "airflow": types.ModuleType("airflow"),
        "airflow.models": types.ModuleType("airflow.models"),
        "airflow.models.param": types.ModuleType("airflow.models.param"),
        "airflow.operators": types.ModuleType("airflow.operators"),
        "airflow.operators.bash": types.ModuleType("airflow.operators.bash"),
    }
    fakes["airflow"].DAG = _FakeDag
    fakes["airflow.models.param"].Param = lambda default, **kw: default
    fakes["airflow.operators.bash"].BashOperator = _FakeOperator
    saved = {k: sys.modules.get(k) for k in fakes}
    sys.modules.update(fakes)
    try:
        ns = {"__name__": "sieve_rebuild_dag", "__file__": DAG_FILE}
        with open(DAG_FILE, encoding="utf-8") as f:
            exec(compile(f.read(), DAG_FILE, "exec"), ns)
        return ns
    finally:
        for k, v in saved.items():
            if v is None:
                sys.modules.pop(k, None)
            else:
                sys.modules[k] = v


class DagWithFakeAirflowTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.ns = _import_dag_with_fake_airflow()
        cls.dag = cls.ns["dag"]

    def test_tasks_and_edges(self):
        ids = [t.task_id for t in self.dag.tasks]
        self.assertEqual(ids, EXPECTED_TASKS)
        for a, b in zip(self.dag.tasks, self.dag.tasks[1:]):
            self.assertEqual(a.downstream, [b.task_id])
        self.assertEqual(self.dag.tasks[-1].downstream, [])

    def test_dag_kwargs(self):
        kw = self.dag.kwargs
        self.assertEqual(kw["max_active_runs"], 1)
        self.assertFalse(kw["catchup"])
        self.assertGreaterEqual(kw["default_args"]["retries"], 1)
        self.assertGreater(kw["default_args"]["retry_delay"].total_seconds(), 0)
        self.assertEqual(set(kw["params"]), set(sieve_stages.DEFAULTS))

    def test_templates_render_to_the_builders_commands(self):
        try:
            import jinja2
        except ImportError:
            self.skipTest("jinja2 not installed")
        variable = {"lake": "s3a://bucket/lake", "inputs": ["s3a://bucket/crawl/"], "jar": "/opt/sieve-spark.jar",
                    "spark_args": ["--master", "yarn"]}
        params = dict(self.dag.kwargs["params"], config="/opt/prod.yaml")

        class _Json:
            @staticmethod
            def get(name, default=None):
                return variable if name == "sieve" else default

        env = jinja2.Environment(undefined=jinja2.StrictUndefined)
        env.globals.update(self.dag.kwargs["user_defined_macros"])
        for t in self.dag.tasks:
            ti = types.SimpleNamespace(try_number=2)
            rendered = env.from_string(t.bash_command).render(
                params=params, var=types.SimpleNamespace(json=_Json), ts_nodash="20240101T000000", ti=ti)
            expected = sieve_stages.task_command(t.task_id, params, variable, "20240101T000000", 2)
            self.assertEqual(rendered, expected)
            self.assertIn("--lake s3a://bucket/lake", rendered)
            self.assertIn("--config /opt/prod.yaml", rendered)


if __name__ == "__main__":
    unittest.main()
