"""Print pip constraints that pin every direct dependency of the package, and of its user-facing extras, to the
lowest version pyproject.toml allows: ``name==floor`` for each ``name>=floor``.

    python3.11 scripts/floors.py > constraints.txt

The dev extra (test tools) is left free, except where a test tool must match a floor exactly (COMPANIONS).
A requirement without a ``>=`` floor fails: the range it allows could not be tested from below.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tomllib

EXTRAS = ("aio", "opentelemetry", "prompts")  # what users install; "dev" is the test tools
# Test tools released in lockstep with a dependency, pinned to its floor too (the SDK pins the API's version).
COMPANIONS = {"opentelemetry-api": ("opentelemetry-sdk",)}
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*>=\s*([0-9][^,;\s]*)\s*(,[^;]*)?(;.*)?$")


def floors(pyproject: Path) -> dict[str, str]:
    project = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]
    requirements = list(project["dependencies"])
    for extra in EXTRAS:
        requirements += project["optional-dependencies"][extra]
    pins: dict[str, str] = {}
    for requirement in requirements:
        match = REQUIREMENT.match(requirement.strip())
        if match is None:
            raise SystemExit(f"scripts/floors.py: {requirement!r} has no '>=' floor to test")
        name, version = match.group(1).lower().replace("_", "-"), match.group(3)
        if pins.get(name, version) != version:
            raise SystemExit(f"scripts/floors.py: {name} has two floors, {pins[name]} and {version}")
        pins[name] = version
        for companion in COMPANIONS.get(name, ()):
            pins[companion] = version
    return pins


if __name__ == "__main__":
    root = Path(__file__).resolve().parent.parent
    sys.stdout.write("".join(f"{name}=={version}\n" for name, version in floors(root / "pyproject.toml").items()))
