# File: python/tests/conftest.py
#
# Shared fixtures of the Python tests: where the repository, its bundled examples, the metafor
# reference files and the command-line program are, and a helper that runs the CLI.
#
# Environment:
#   SRMA_CLI   the srma program for the side-by-side tests (default /work/main/build/srma, or
#              build/srma of this repository); those tests are skipped when it is absent
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BCG = ROOT / "examples" / "bcg" / "bcg.csv"
PIGNON = ROOT / "examples" / "pignon2000" / "pignon2000.csv"
VALIDATION = ROOT / "tests" / "validation" / "data"


def cli_path() -> Path | None:
    """The srma program, or None when it is absent."""
    env = os.environ.get("SRMA_CLI")
    candidates = [Path(env)] if env else [Path("/work/main/build/srma"), ROOT / "build" / "srma"]
    for c in candidates:
        if c.is_file() and os.access(c, os.X_OK):
            return c
    return None


@pytest.fixture(scope="session")
def cli():
    """Runs the srma program and returns its standard output; skips when it is absent."""
    path = cli_path()
    if path is None:
        where = os.environ.get("SRMA_CLI") or "/work/main/build/srma"
        pytest.skip(f"the srma command-line program is not at {where} (set SRMA_CLI to compare "
                    f"the Python results with it)")

    def run(*args: str) -> str:
        done = subprocess.run([str(path), *map(str, args)], capture_output=True, text=True,
                              check=False)
        assert done.returncode == 0, f"srma {' '.join(map(str, args))} failed: {done.stderr}"
        return done.stdout

    run.path = path
    return run


@pytest.fixture(scope="session")
def cli_json(cli):
    """Runs the srma program with --json and returns the parsed object."""
    return lambda *args: json.loads(cli(*args, "--json"))


def reference(name: str) -> dict:
    """A metafor reference file of tests/validation/data/ (tools/make_reference_*.R)."""
    with open(VALIDATION / name, encoding="utf-8") as f:
        return json.load(f)


def reference_case(name: str, case: str) -> dict:
    """One case of a reference file, by its name."""
    data = reference(name)
    for c in data["cases"] + data.get("subgroup_cases", []):
        if c["name"] == case:
            return c
    raise KeyError(f"{name} has no case {case}")
