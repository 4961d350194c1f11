"""`gitops-gen validate` runs on every commit (pre-commit): it must cost no more than a render of the same fleet.

Its cost is the compile plus one schema check per object. A valid object is decided by the compiled validator
alone; the detailed one, in pure Python and hundreds of times slower, only explains objects found invalid.
So a valid tree never loads it (benchmarks/fleet.py measures the whole command; docs/performance.md).
"""
from __future__ import annotations

import subprocess
import sys

from tests.helpers import EXAMPLE

PROBE = """
import sys
from click.testing import CliRunner
from generator.cli import cli
result = CliRunner().invoke(cli, ["validate", "--source", sys.argv[1]])
assert result.exit_code == 0, result.output
print("jsonschema" in sys.modules)
"""


def test_validating_a_valid_tree_never_loads_the_slow_explainer():
    done = subprocess.run([sys.executable, "-c", PROBE, str(EXAMPLE)], capture_output=True, text=True)
    assert (done.returncode, done.stdout) == (0, "False\n"), done.stderr


def test_an_invalid_object_is_still_explained(source, run, monkeypatch):
    import generator.builders.kserve as kserve

    original = kserve.inference_service
    monkeypatch.setattr(kserve, "inference_service",
                        lambda release: {**original(release), "spec": {**original(release)["spec"], "replicaz": 1}})
    result = run("validate", "--source", source)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0].endswith("/iris/inferenceservice-iris.yaml: spec.replicaz: unknown field")
