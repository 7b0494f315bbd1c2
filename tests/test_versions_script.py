"""scripts/versions.sh, which .ci/run uses to test every supported Python: it runs the given command once per
version with PYTHON set to that interpreter, fails the run when any version fails, and refuses a missing version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "versions.sh"
HERE = "{}.{}".format(*sys.version_info[:2])


def versions_sh(pythons: str, command: str, jobs: int) -> subprocess.CompletedProcess[str]:
    # This interpreter's directory first on PATH, so that python3.X names it (a virtual environment has that name).
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    env = {**os.environ, "PATH": path, "PYTHONS": pythons, "JOBS": str(jobs)}
    return subprocess.run(
        ["bash", str(SCRIPT), "bash", "-c", command], capture_output=True, text=True, env=env, timeout=60
    )


@pytest.mark.parametrize("jobs", [1, 2])
def test_each_version_gets_its_interpreter_and_a_failing_one_fails_the_run(jobs: int) -> None:
    command = '"$PYTHON" -c "import sys; print(sys.version_info[:2])"; echo "7 passed in 1.0s"; exit "$CODE"'
    passed = versions_sh(HERE, f"CODE=0; {command}", jobs)
    assert passed.returncode == 0, passed.stderr
    assert str(sys.version_info[:2]) in passed.stdout
    assert f"==== CPython {HERE}: passed in " in passed.stdout and "(pytest:7 passed in 1.0s)" in passed.stdout

    failed = versions_sh(f"{HERE} {HERE}", f"CODE=1; {command}", jobs)
    assert failed.returncode == 1
    assert failed.stdout.count(f"==== CPython {HERE}: FAILED in ") == 2


def test_a_missing_version_fails_before_anything_runs() -> None:
    done = versions_sh(f"{HERE} 3.99", "echo ran", jobs=1)
    assert done.returncode == 2 and "ran" not in done.stdout
    assert "CPython 3.99 not found" in done.stderr
