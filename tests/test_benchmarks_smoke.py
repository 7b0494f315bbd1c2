"""The benchmark suite runs: a quick pass over four rows exits 0 and prints its table (no timing is asserted)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

RUN = Path(__file__).resolve().parent.parent / "benchmarks" / "run.py"


def test_quick_run_prints_the_table() -> None:
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--rows", "parse,build,async-16,import"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith("| row | ours median")
    parse, build = lines[2], lines[3]
    assert parse.startswith("| parse a 900-byte ChatCompletions") and "µs" in parse
    # The build row checks, before timing, that the package serializes the body the floor's json.dumps writes.
    assert build.startswith("| build 10 messages") and "µs" in build
    # The async row drives the async client against the loopback server, the bare aiohttp floor alongside.
    async_row = lines[4]
    assert async_row.startswith("| async complete(), 16 in flight")
    assert len(re.findall(r"\| [\d,]+/s, [\d,]+ µs", async_row)) == 2  # ours, then the floor
    # The import row: the package's part, timed after the floor's import in the same interpreters.
    assert re.match(r"\| import \(fresh interpreter\) \| [\d.]+ ms \[.*\] \| [\d.]+ ms \| \+[\d.]+ ms \|", lines[5])


def test_quick_batch_rows_print_their_cells() -> None:
    """The batch rows against the quota server: elapsed against the ideal, 429s, and RSS over an input file."""
    done = subprocess.run(
        [sys.executable, str(RUN), "--quick", "--rows", "batch-chat,batch-memory", "--batch", "batch-chat=200@12000"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    chat, memory = done.stdout.strip().splitlines()[2:4]
    assert chat.startswith("| batch: 200 chat requests against a 12,000-RPM quota")
    assert re.search(r"\| [\d.]+ s \([+-][\d.]+% over ideal\), \d+ answered 429 \([\d.]+%\) \| ideal 1\.0 s \|", chat)
    assert memory.startswith("| batch: RSS over a 20,000-line input file") and "MiB" in memory
