"""The benchmark scripts run (on a tiny corpus: figures are for the scripts themselves to print)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from .conftest import ROOT


@pytest.mark.parametrize(
    ("module", "args", "expected"),
    [
        ("benchmarks.fingerprint", ["--articles", "20", "--repeat", "1"], "signatures equal to datasketch"),
        ("benchmarks.ingest", ["--articles", "30", "--workers", "1"], "ingest of 30 generated articles"),
        ("benchmarks.corpus", ["--articles", "3"], '"id": "a2"'),
    ],
)
def test_benchmark_scripts_run(module: str, args: list[str], expected: str) -> None:
    done = subprocess.run([sys.executable, "-m", module, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert expected in done.stdout
