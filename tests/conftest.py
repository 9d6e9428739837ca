from __future__ import annotations

import importlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from provenance import Store

# The suite a fresh clone and CI run is derandomized: the same examples every run, so that it
# never fails by chance; "explore" searches anew each run with many more examples (run it before
# a change lands: a counter-example it finds is a bug to fix and an @example to keep).
settings.register_profile("default", deadline=None, max_examples=50, derandomize=True, database=None)
settings.register_profile(
    "ci", deadline=None, max_examples=100, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile("explore", deadline=None, max_examples=1000, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("quick", deadline=None, max_examples=10, derandomize=True, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "default"))

# The language model's tables are kept in a folder of the tests' own, not the user's cache (the
# processes the tests start read them from there too)
os.environ.setdefault("PROVENANCE_CACHE_DIR", os.path.join(tempfile.gettempdir(), "provenance-tests-cache"))

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"
SEED_BLOOMBERG = SAMPLES / "004_034d8394e554abdd.txt"
SEED_OTHER = SAMPLES / "000_a7592bb494e02b3e.txt"


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open(tmp_path / "test.db")
    yield opened  # type: ignore[misc]
    opened.close()


@pytest.fixture
def samples(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A copy of samples/ in a temporary working directory, given as the relative path 'samples'."""
    shutil.copytree(SAMPLES, tmp_path / "samples")
    monkeypatch.chdir(tmp_path)
    return "samples"


@pytest.fixture(scope="module", params=["portable", "compiled"])
def each_set_of_kernels(request: pytest.FixtureRequest) -> Iterator[str]:
    """Every test of a module that uses it runs with each set of kernels (they must agree bit for
    bit): ``pytestmark = pytest.mark.usefixtures("each_set_of_kernels")``."""
    fingerprinting = importlib.import_module("provenance.fingerprint")
    chosen = "provenance._portable" if request.param == "portable" else "provenance._kernels"
    before = fingerprinting._active
    fingerprinting._active = importlib.import_module(chosen)
    yield request.param
    fingerprinting._active = before
