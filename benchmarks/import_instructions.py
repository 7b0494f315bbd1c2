"""Instructions that ``import azure.ai.inference`` executes beyond ``import azure.core.pipeline``, counted by valgrind.

    python benchmarks/import_instructions.py [TREE ...]

The import row of ``run.py`` is wall time, which follows the load of a shared machine (its floor has read 113 to
143 ms on one machine in one day); an instruction count does not, so it compares two versions of the package
measured days apart. Each TREE is a checkout whose ``azure/ai/inference`` is imported instead of the installed
one (for example a ``git worktree`` of an older commit); without one, the installed package is counted.
Needs ``valgrind`` (Debian package ``valgrind``). Byte code is cached under a prefix of its own, hash
randomization is off, and the count of a warm-up import is not used.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile


def instructions(code: str, tree: str | None) -> int:
    """Instructions of ``python -c code``, run outside any checkout (``-c`` puts the working directory first)."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    env.update(PYTHONHASHSEED="0", PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), "import-instructions"))
    if tree:
        env["PYTHONPATH"] = tree

    def run(*command: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command, env=env, cwd=tempfile.gettempdir(), capture_output=True, text=True, check=True)

    warm = run(sys.executable, "-c", code)  # writes the byte code
    if tree and "azure.ai.inference" in code and not warm.stdout.startswith(os.path.abspath(tree)):
        raise SystemExit(f"{tree} has no azure/ai/inference: {warm.stdout.strip()} was imported")
    valgrind = ("valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null")
    done = run(*valgrind, sys.executable, "-c", code)
    found = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (apt-get install valgrind)")
    floor = instructions("import azure.core.pipeline", None)
    print(f"import azure.core.pipeline: {floor / 1e6:.1f} M instructions")
    trees: list[str | None] = [*sys.argv[1:]] or [None]
    for tree in trees:
        code = "import azure.core.pipeline, azure.ai.inference; print(azure.ai.inference.__file__)"
        added = instructions(code, tree) - instructions("import azure.core.pipeline", tree)
        print(f"import azure.ai.inference ({tree or 'installed'}): +{added / 1e6:.1f} M instructions")


if __name__ == "__main__":
    main()
