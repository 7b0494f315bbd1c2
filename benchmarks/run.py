"""Run the benchmark suite and print one table: this package against the floor, 1.0.0b9 and openai-python.

    python benchmarks/run.py [--b9-python PATH] [--openai-python PATH] [--quick] [--rows stream,parse,...]
                             [--public-core] [--batch ROW=SIZE[@RPM],...]

Each row runs in a fresh subprocess per implementation, so that imports never mix: this package under
the interpreter running this script (or ``--ours-python``), 1.0.0b9 and openai-python under interpreters
of their own virtual environments. Each worker measures its floor in the same process and prints JSON;
the end-to-end rows talk to a loopback server (``_server.py``, 127.0.0.1 only) started here. The batch rows
(``bench_batch.py``) run against a quota-limited one (``_quota_server.py``).
Figures are medians over repetitions, with [min-max]. No figure here is a test: nothing fails on a slow run.
``--public-core`` also runs every row of this package with ``AZURE_AI_INFERENCE_PUBLIC_CORE=1`` (every azure-core
private shortcut of ``_core.py`` off) and prints a second table from those runs: what a new azure-core that broke
every shortcut would cost.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from statistics import median
from typing import Any, Callable, Optional

from _common import ASYNC_ROWS, ROWS

HERE = Path(__file__).resolve().parent
LOOPBACK_ROWS = ("loopback", "sse-loopback", *ASYNC_ROWS)
BATCH_ROWS = ("batch-chat", "batch-embed", "batch-overhead", "batch-memory")
ALL_ROWS = (*ROWS, *BATCH_ROWS)
FLAT_MIB = 2.0  # growth of RSS from the early to the last event that still counts as flat
LABELS = {
    "stream": "one streamed update (SSE split + JSON + model + delta.content)",
    "parse": "parse a 900-byte ChatCompletions + message.content",
    "build": "build 10 messages + serialize the request body",
    "inproc": "complete(), in-process transport, per call",
    "loopback": "complete() over loopback HTTP, sync, per request",
    "sse-loopback": "complete(stream=True) over loopback, per update",
    "async-16": "async complete(), 16 in flight: requests/s, CPU per request",
    "async-256": "async complete(), 256 in flight: requests/s, CPU per request",
    "embed-16": "async embed(), 16 in flight: requests/s, CPU per request",
    "embed-256": "async embed(), 256 in flight: requests/s, CPU per request",
    "streams-1000": "{count:,} concurrent async streams of {updates} updates: streams/s, CPU per stream, errors, RSS",
    "import": "import (fresh interpreter)",
    "memory": "RSS while streaming {events:,} updates (at {early:,} -> at the end)",
    "batch-chat": "batch: {calls:,} chat requests against a {rpm:,.0f}-RPM quota: elapsed vs ideal, 429s",
    "batch-embed": "batch: {inputs:,} embedding inputs, {calls:,} calls, against a {rpm:,.0f}-RPM quota",
    "batch-overhead": "batch runner vs complete() in gather + semaphore, 64 in flight, no quota: req/s",
    "batch-memory": "batch: RSS over a {lines:,}-line input file (start -> end)",
}
TARGETS = {
    "stream": "<= 1.6x floor",
    "parse": "<= 1.6x floor",
    "build": "<= 3x floor",
    "inproc": "<= 0.5x b9",
    "loopback": "overhead <= 0.6x b9's (CPU)",
    "sse-loopback": "-",
    "async-16": ">= 2.5x b9's req/s; CPU <= 3x floor",
    "async-256": ">= 2.5x b9's req/s; CPU <= 3x floor",
    "embed-16": "-",
    "embed-256": "-",
    "streams-1000": "0 errors, flat RSS",
    "import": "<= +12 ms",
    "memory": f"flat (< +{FLAT_MIB:g} MiB)",
    "batch-chat": "<= +10% over ideal, < 1% 429s",
    "batch-embed": "<= +10% over ideal, < 1% 429s",
    "batch-overhead": "overhead <= 10%",
    "batch-memory": "< +50 MiB",
}
Result = Optional[dict[str, Any]]


def start_server(python: str, script: str = "_server.py") -> tuple[subprocess.Popen[str], int]:
    """Start the loopback server; it stops when its standard input closes."""
    server = subprocess.Popen(
        [python, str(HERE / script)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=HERE
    )
    assert server.stdout is not None
    line = server.stdout.readline()
    if not line.startswith("PORT="):
        server.kill()
        raise RuntimeError(f"the loopback server did not start: {line!r}")
    return server, int(line[5:])


def stop_server(server: subprocess.Popen[str]) -> None:
    assert server.stdin is not None
    server.stdin.close()
    try:
        server.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


PUBLIC_CORE = {"AZURE_AI_INFERENCE_PUBLIC_CORE": "1"}


def run_worker(
    python: str,
    script: str,
    row: str,
    quick: bool,
    port: Optional[int],
    env_extra: Any = None,
    extra: tuple[str, ...] = (),
) -> Result:
    """One row for one implementation, in a fresh interpreter; None (and the reason on stderr) if it failed."""
    command = [
        python,
        str(HERE / script),
        row,
        *(["--quick"] if quick else []),
        *(["--port", str(port)] if port else []),
        *extra,
    ]
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", *PUBLIC_CORE)}
    env.update(env_extra or {})
    try:
        done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=HERE, timeout=600)
    except subprocess.TimeoutExpired:
        print(f"{script} {row} under {python}: timed out", file=sys.stderr)
        return None
    if done.returncode != 0:
        print(f"{script} {row} under {python} failed:\n{done.stderr.strip()}", file=sys.stderr)
        return None
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def fmt_time(seconds: float, unit: str) -> str:
    if unit == "ms":
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds * 1e6:.2f} µs" if seconds < 1e-4 else f"{seconds * 1e6:.0f} µs"


def spread(samples: list[float], unit: str) -> str:
    """Median [min-max]."""
    scale = 1e3 if unit == "ms" else 1e6
    return f"{fmt_time(median(samples), unit)} [{min(samples) * scale:.3g}-{max(samples) * scale:.3g}]"


def overhead(result: dict[str, Any]) -> float:
    if "added" in result:  # the import row: measured in each interpreter
        return median(result["added"])
    return median(result["samples"]) - median(result["floor"])


def over_transport(result: dict[str, Any], b9: Result = None) -> str:
    """How far a loopback result is above its library's bare HTTP stack (and that as a share of 1.0.0b9's)."""
    if "transport" not in result:
        return ""
    above = median(result["samples"]) - median(result["transport"])
    text = f"; +{above * 1e6:.0f} over its HTTP stack"
    if b9 is not None and "transport" in b9:
        text += f" = {above / (median(b9['samples']) - median(b9['transport'])):.2f}x b9's"
    return text


def throughput(r: Result, floor: bool = False) -> str:
    """Requests/s and CPU µs per request of an async row (medians)."""
    if r is None:
        return "-"
    prefix = "floor_" if floor else ""
    return f"{median(r[prefix + 'rps']):,.0f}/s, {median(r[prefix + 'cpu']) * 1e6:,.0f} µs"


def streams(r: Result, floor: bool = False) -> str:
    """Streams/s, CPU µs per stream, errors and RSS growth of the streams row (median round)."""
    if r is None:
        return "-"
    rounds = r["floor_rounds" if floor else "rounds"]
    rate = median(r["count"] / x["wall"] for x in rounds)
    cpu = median(x["cpu"] for x in rounds) / r["count"]
    growth = rounds[-1]["rss_mb"] - rounds[0]["rss_mb"]
    errors = sum(x["errors"] for x in rounds)
    return f"{rate:,.0f}/s, {cpu * 1e6:,.0f} µs, {errors} errors, RSS {rounds[0]['rss_mb']:.0f} MiB ({growth:+.1f})"


def async_cells(row: str, ours: Result, b9: Result, other: Result) -> list[str]:
    """The cells of an async row: requests/s and CPU per request of each, the floor measured with ours."""
    if row == "streams-1000":
        met = "?"
        if ours is not None:
            errors = sum(x["errors"] for x in ours["rounds"])
            growth = ours["rounds"][-1]["rss_mb"] - ours["rounds"][0]["rss_mb"]
            met = "yes" if errors == 0 and growth < FLAT_MIB else "NO"
        ratio = "-"
        if ours is not None:
            cpu = median(x["cpu"] for x in ours["rounds"]) / median(x["cpu"] for x in ours["floor_rounds"])
            ratio = f"CPU {cpu:.2f}x floor"
        return [streams(ours), streams(ours, True), ratio, TARGETS[row], met, streams(b9), streams(other)]
    if ours is None:
        return ["-", "-", "-", TARGETS[row], "?", throughput(b9), throughput(other)]
    cpu_ratio = median(ours["cpu"]) / median(ours["floor_cpu"])
    ratio = f"CPU {cpu_ratio:.2f}x floor"
    met: Optional[bool] = None
    if b9 is not None:
        rps_ratio = median(ours["rps"]) / median(b9["rps"])
        per_cpu = median(b9["cpu"]) / median(ours["cpu"])  # requests per CPU second: what a busy machine leaves
        ratio = f"{rps_ratio:.2f}x b9's req/s ({per_cpu:.2f}x per CPU second); " + ratio
        met = rps_ratio >= 2.5 and cpu_ratio <= 3
    if not row.startswith("async"):
        met = None
    return [
        throughput(ours), throughput(ours, True), ratio, TARGETS[row],
        "-" if met is None else "yes" if met else "NO", throughput(b9), throughput(other),
    ]  # fmt: skip


def quota_run(r: Result) -> str:
    """Elapsed against the ideal, and the 429s, of a batch quota row."""
    if r is None:
        return "-"
    over = r["elapsed"] / r["ideal"] - 1
    failed = f", {r['failed']:,} failed" if r["failed"] else ""
    return (
        f"{r['elapsed']:.1f} s ({over:+.1%} over ideal), {r['throttled']:,} answered 429 "
        f"({r['throttled'] / r['calls']:.2%}){failed}"
    )


def batch_cells(row: str, ours: Result, b9: Result, other: Result) -> list[str]:
    """The cells of a batch row: ours, floor (the ideal, or the plain calls), ratio, target, met?, b9, openai."""
    if ours is None:
        return ["-", "-", "-", TARGETS[row], "?", quota_run(b9), quota_run(other)]
    if row == "batch-overhead":
        runner, plain = median(ours["rps"]), median(ours["plain_rps"])
        overhead = 1 - runner / plain
        ratio = f"{overhead:.1%} fewer req/s" if overhead > 0 else f"{-overhead:.1%} more req/s"
        return [f"{runner:,.0f}/s", f"{plain:,.0f}/s (complete())", ratio, TARGETS[row],
                "yes" if overhead <= 0.10 else "NO", "-", "-"]  # fmt: skip
    if row == "batch-memory":
        growth = ours["end_mb"] - ours["start_mb"]
        cell = (
            f"{ours['start_mb']:.1f} -> {ours['end_mb']:.1f} MiB ({ours['lines']:,} lines in {ours['elapsed']:.0f} s)"
        )
        return [cell, "-", f"{growth:+.1f} MiB", TARGETS[row], "yes" if growth < 50 else "NO", "-", "-"]
    over, share = ours["elapsed"] / ours["ideal"] - 1, ours["throttled"] / ours["calls"]
    met = over <= 0.10 and share < 0.01 and not ours["failed"]
    return [quota_run(ours), f"ideal {ours['ideal']:.1f} s", f"{over:+.1%}; 429s {share:.2%}", TARGETS[row],
            "yes" if met else "NO", quota_run(b9), quota_run(other)]  # fmt: skip


def cells(row: str, ours: Result, b9: Result, other: Result) -> list[str]:
    """Ours (median [min-max]), floor, ratio, target, met?, 1.0.0b9, openai for one row."""
    if row in BATCH_ROWS:
        return batch_cells(row, ours, b9, other)
    if row in ASYNC_ROWS:
        return async_cells(row, ours, b9, other)
    unit = "ms" if row == "import" else "µs"
    if row == "memory":
        mem: Callable[[Result], str] = lambda r: (  # noqa: E731
            "-" if r is None else f"{r['early_mb']:.1f} -> {r['end_mb']:.1f} MiB ({r['growth_mb']:+.1f})"
        )
        met = "?" if ours is None else "yes" if ours["growth_mb"] < FLAT_MIB else "NO"
        ratio = "-" if ours is None else f"{ours['growth_mb']:+.1f} MiB"
        return [mem(ours), "-", ratio, TARGETS[row], met, mem(b9), mem(other)]

    def side(r: Result) -> str:
        if r is None:
            return "-"
        if "skipped" in r:
            return "n/a"
        text = fmt_time(median(r["samples"]), unit)
        if row == "import":
            return f"{text} (+{(overhead(r)) * 1e3:.1f})"
        if row == "loopback":
            cpu = f"; CPU +{overhead(r['cpu']) * 1e6:.0f}" if "cpu" in r else ""
            return f"{text} (+{overhead(r) * 1e6:.0f} over floor{over_transport(r)}{cpu})"
        return f"{text} ({r['ratio']:.1f}x)" if row != "inproc" else text

    if ours is None or "skipped" in ours:
        return ["-", "-", "-", TARGETS[row], "?", side(b9), side(other)]
    mine, floor = spread(ours["samples"], unit), fmt_time(median(ours["floor"]), unit)
    if row == "import":
        value = overhead(ours) * 1e3
        ratio, met = f"+{value:.1f} ms", value <= 12
    elif row == "inproc":
        if b9 is None:
            ratio, met = "-", None
        else:
            value = median(ours["samples"]) / median(b9["samples"])
            ratio, met = f"{value:.2f}x b9", value <= 0.5
    elif row == "loopback":
        if b9 is None:
            ratio, met = f"+{overhead(ours) * 1e6:.0f} µs", None
        else:
            value = overhead(ours) / overhead(b9)
            ratio = f"+{overhead(ours) * 1e6:.0f} µs = {value:.2f}x b9's{over_transport(ours, b9)}"
            if "cpu" in ours and "cpu" in b9:  # CPU time: what waiting for a loaded machine does not inflate
                value = overhead(ours["cpu"]) / overhead(b9["cpu"])
                ratio += f"; CPU +{overhead(ours['cpu']) * 1e6:.0f} µs = {value:.2f}x b9's"
            met = value <= 0.6
    else:
        limit = {"stream": 1.6, "parse": 1.6, "build": 3.0}.get(row)
        ratio, met = f"{ours['ratio']:.2f}x", None if limit is None else ours["ratio"] <= limit
    return [mine, floor, ratio, TARGETS[row], "-" if met is None else "yes" if met else "NO", side(b9), side(other)]


def table(results: dict[str, dict[str, Result]], rows: list[str], versions: dict[str, str]) -> str:
    head = ["row", "ours median [min-max]", "floor", "ratio", "target", "met?"]
    head += [f"1.0.0b9 ({versions.get('b9', 'not given')})", f"openai ({versions.get('openai', 'not given')})"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        r = results[row]
        label = LABELS[row]
        if row == "memory":
            counts = next((x for x in r.values() if x and "events" in x), {"events": 0, "early_events": 0})
            label = label.format(events=counts["events"], early=counts["early_events"])
        if row == "streams-1000":
            counts = next((x for x in r.values() if x and "count" in x), {"count": 0, "updates": 0})
            label = label.format(count=counts["count"], updates=counts["updates"])
        if row in BATCH_ROWS:
            figures = next((x for x in r.values() if x and "skipped" not in x), {})
            calls = figures.get("calls", 0)
            label = label.format(calls=calls, rpm=figures.get("rpm", 0), lines=figures.get("lines", 0),
                                 inputs=calls * 100)  # fmt: skip
        lines.append("| " + " | ".join([label, *cells(row, r.get("ours"), r.get("b9"), r.get("openai"))]) + " |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--b9-python", help="a Python with azure-ai-inference 1.0.0b9 installed")
    parser.add_argument("--openai-python", help="a Python with openai installed")
    parser.add_argument("--ours-python", default=sys.executable, help="a Python with this package (default: this one)")
    parser.add_argument("--quick", action="store_true", help="a fast smoke run: few repetitions, short loops")
    parser.add_argument("--rows", default=",".join(ALL_ROWS), help=f"comma-separated subset of {','.join(ALL_ROWS)}")
    parser.add_argument(
        "--batch",
        default="",
        help="sizes (and quotas) of the batch rows, e.g. batch-chat=20000@60000,batch-memory=1000000 "
        "(default: bench_batch.py's, smaller with --quick)",
    )
    parser.add_argument("--json", type=Path, help="also write every raw figure to this file")
    parser.add_argument("--public-core", action="store_true", help="also run ours with every azure-core shortcut off")
    args = parser.parse_args()
    rows = [row.strip() for row in args.rows.split(",") if row.strip()]
    unknown = set(rows) - set(ALL_ROWS)
    if unknown:
        parser.error(f"unknown rows: {', '.join(sorted(unknown))}")
    impls = [("ours", args.ours_python, "bench_azure.py", None)]
    impls += [("public", args.ours_python, "bench_azure.py", PUBLIC_CORE)] if args.public_core else []
    impls += [("b9", args.b9_python, "bench_azure.py", None)] if args.b9_python else []
    impls += [("openai", args.openai_python, "bench_openai.py", None)] if args.openai_python else []

    batch: dict[str, tuple[str, ...]] = {}
    for setting in filter(None, args.batch.split(",")):
        row, _, value = setting.partition("=")
        size, _, rpm = value.partition("@")
        if row not in BATCH_ROWS or not size.isdigit():
            parser.error(f"--batch: {setting!r} is not ROW=SIZE[@RPM] for a batch row")
        batch[row] = ("--size", size, *(("--rpm", rpm) if rpm else ()))
    server, port = start_server(args.ours_python) if set(rows) & set(LOOPBACK_ROWS) else (None, None)
    quota_server, quota_port = (
        start_server(args.ours_python, "_quota_server.py") if set(rows) & set(BATCH_ROWS) else (None, None)
    )
    results: dict[str, dict[str, Result]] = {}
    versions: dict[str, str] = {}
    try:
        for row in rows:
            results[row] = {}
            for name, python, script, env in impls:
                print(f"  {row:<13} {name} ...", file=sys.stderr, flush=True)
                if row in BATCH_ROWS:
                    result = run_worker(python, "bench_batch.py", row, args.quick, quota_port, env, batch.get(row, ()))
                else:
                    result = run_worker(python, script, row, args.quick, port if row in LOOPBACK_ROWS else None, env)
                results[row][name] = result
                if result is not None:
                    versions[name] = result["version"]
    finally:
        for started in (server, quota_server):
            if started is not None:
                stop_server(started)
    if args.json:
        args.json.write_text(json.dumps({"versions": versions, "results": results}, indent=1))
    print(table(results, rows, versions))
    if args.public_core:
        print("\nWith AZURE_AI_INFERENCE_PUBLIC_CORE=1 (ours with every azure-core private shortcut off):\n")
        public = {row: {**r, "ours": r.get("public")} for row, r in results.items()}
        print(table(public, rows, versions))
    failed = [f"{row}/{name}" for row in rows for name, result in results[row].items() if result is None]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
