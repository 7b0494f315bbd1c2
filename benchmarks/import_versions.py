"""What ``import azure.ai.inference`` costs beyond ``import azure.core.pipeline``, for several versions of the package.

    python benchmarks/import_versions.py [--reps N] [--no-valgrind] [TREE ...]

The import row of ``run.py`` is wall time, which follows the load of a shared machine (its floor read 113 to 143 ms on
one machine in one day). Two figures here compare versions whatever the load:
- wall time, with the versions taking turns in fresh interpreters, each timing the floor's import and then the
  package's (medians of ``--reps``);
- instructions, counted by valgrind (Debian package ``valgrind``), which do not depend on the load at all.
Each TREE is a checkout whose ``azure/ai/inference`` is imported instead of the installed one (for example a
``git worktree`` of an older commit); without one, the installed package is measured. Byte code is cached under a
prefix of its own and written by a warm-up import that is not counted.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from statistics import median
from typing import Optional

FLOOR = "azure.core.pipeline"
TIMED = (
    f"import time; t0 = time.perf_counter(); import {FLOOR}; t1 = time.perf_counter(); import azure.ai.inference; "
    "print(t1 - t0, time.perf_counter() - t1, azure.ai.inference.__file__)"
)
EMPTY = tempfile.TemporaryDirectory(prefix="import-versions-")


def run(tree: Optional[str], *command: str) -> subprocess.CompletedProcess[str]:
    """``command``, importing the package from ``tree``, in an empty directory: ``python -c`` puts the working
    directory first on the path, and nothing there must shadow a module."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env.update(PYTHONHASHSEED="0", PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "import-versions"))
    if tree:
        env["PYTHONPATH"] = tree
    return subprocess.run(command, env=env, cwd=EMPTY.name, capture_output=True, text=True, check=True)


def instructions(tree: Optional[str], code: str) -> int:
    """Instructions of ``python -c code``."""
    valgrind = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
    done = run(tree, *valgrind, sys.executable, "-c", code)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("trees", nargs="*", metavar="TREE", help="checkouts to import the package from")
    parser.add_argument("--reps", type=int, default=25, help="fresh interpreters per version (default 25)")
    parser.add_argument("--no-valgrind", action="store_true", help="wall time only")
    args = parser.parse_args()
    trees: list[Optional[str]] = [*args.trees] or [None]
    for tree in trees:  # warm-up: writes the byte code, and checks that the tree is what gets imported
        where = run(tree, sys.executable, "-c", TIMED).stdout.split()[2]
        if tree and not where.startswith(os.path.abspath(tree)):
            raise SystemExit(f"{tree} has no azure/ai/inference: {where} was imported")
    floors: dict[Optional[str], list[float]] = {tree: [] for tree in trees}
    added: dict[Optional[str], list[float]] = {tree: [] for tree in trees}
    for _ in range(args.reps):
        for tree in trees:
            floor, package, _where = run(tree, sys.executable, "-c", TIMED).stdout.split()
            floors[tree].append(float(floor) * 1e3)
            added[tree].append(float(package) * 1e3)
    count = not args.no_valgrind and shutil.which("valgrind") is not None
    for tree in trees:
        line = f"{tree or 'installed'}: import {FLOOR} {median(floors[tree]):.1f} ms, then azure.ai.inference "
        line += f"+{median(added[tree]):.2f} ms [{min(added[tree]):.2f}-{max(added[tree]):.2f}]"
        if count:
            more = instructions(tree, f"import {FLOOR}, azure.ai.inference") - instructions(tree, f"import {FLOOR}")
            line += f", +{more / 1e6:.1f} M instructions"
        print(line)


if __name__ == "__main__":
    main()
