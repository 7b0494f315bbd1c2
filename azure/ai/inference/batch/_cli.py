"""``python -m azure.ai.inference batch INPUT.jsonl OUTPUT.jsonl``: a Batch API file run here, resumable.

Each result is appended to OUTPUT as one line, written with one unbuffered write as soon as it is known.
Run again with the same OUTPUT, the items whose ``custom_id`` (or, for a line without one, ``id``) is there
already are skipped. A run killed at any moment (``kill -9`` included) can leave at most one torn line, the
last, without its newline: the next run cuts it off before appending, so that every input ends with
exactly one result.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import os
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional, TextIO

from ._items import CHAT, EMBEDDINGS, result_key
from ._runner import BatchRunner, BatchStats

LOG = logging.getLogger("azure.ai.inference.batch")
PROGRESS_EVERY = 10.0  # seconds between progress lines when no progress bar is shown


class BatchUsageError(ValueError):
    """A problem with the command's arguments or files (exit code 2)."""


@dataclass
class Target:
    """Where one kind of line goes: endpoint, credential (a key or an async token credential) and default model."""

    endpoint: str
    credential: Any
    model: Optional[str] = None


def read_done(path: Path) -> set[str]:
    """The keys of the results in ``path``; a torn last line (no newline: the writer was killed) is cut off."""
    done: set[str] = set()
    if not path.exists():
        return done
    with path.open("r+b") as file:
        kept = 0
        for number, line in enumerate(file, 1):
            if not line.endswith(b"\n"):
                file.truncate(kept)
                LOG.warning("%s: cut off a torn last line (%d bytes) left by an interrupted run", path, len(line))
                break
            kept += len(line)
            if not line.strip():
                continue
            try:
                key = result_key(json.loads(line))
            except (ValueError, AttributeError):
                key = None
            if key is None:
                raise BatchUsageError(f"{path}, line {number}, is not a batch result: is it the right output file?")
            done.add(key)
    return done


def count_lines(path: Path) -> int:
    """The non-blank lines of a file, read in blocks (memory stays flat)."""
    count = 0
    with path.open("rb") as file:
        for line in file:
            count += bool(line.strip())
    return count


class ResultWriter:
    """Appends one result per line, each with one unbuffered write (so a crash can tear only the last line)."""

    def __init__(self, path: Path) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def write(self, result: dict[str, Any]) -> None:
        data = memoryview((json.dumps(result, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8"))
        while data:
            data = data[os.write(self._fd, data) :]

    def close(self) -> None:
        os.close(self._fd)


class Progress:
    """A tqdm bar on a terminal when tqdm is installed, else a line on the stream every ``every`` seconds."""

    def __init__(self, total: int, already: int, stats: BatchStats, stream: TextIO, every: float) -> None:
        self._stats, self._stream, self._total, self._already = stats, stream, total, already
        self._bar: Any = None
        self._every = every
        self._next_line = time.monotonic() + every
        if stream.isatty():
            try:
                tqdm = importlib.import_module("tqdm").tqdm
            except ImportError:
                pass
            else:
                self._bar = tqdm(total=total, initial=already, unit="item", file=stream, dynamic_ncols=True)

    def update(self) -> None:
        if self._bar is not None:
            stats = self._stats
            self._bar.update(1)
            self._bar.set_postfix(failed=stats.failed, retried=stats.retried, tokens=stats.tokens, refresh=False)
        elif time.monotonic() >= self._next_line:
            self._next_line = time.monotonic() + self._every
            self._stream.write(f"batch: {self._line()}\n")
            self._stream.flush()

    def _line(self) -> str:
        stats = self._stats
        finished = self._already + stats.done + stats.failed
        return (
            f"{finished:,}/{self._total:,} items, {stats.failed:,} failed, {stats.retried:,} retried, "
            f"{stats.tokens:,} tokens, {stats.elapsed:.0f} s"
        )

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()


def summary(stats: BatchStats) -> str:
    return (
        f"done {stats.done:,}, failed {stats.failed:,}, retried {stats.retried:,} ({stats.throttled:,} answered 429), "
        f"skipped {stats.skipped:,} (already in the output), tokens {stats.tokens:,}, elapsed {stats.elapsed:.1f} s"
    )


def _lines(path: Path) -> Iterator[bytes]:
    with path.open("rb") as file:
        yield from file


def _client(cls: Any, target: Optional[Target], api_version: Optional[str]) -> Any:
    if target is None:
        return None
    kwargs: dict[str, Any] = {} if api_version is None else {"api_version": api_version}
    return cls(target.endpoint, target.credential, **kwargs)


async def _run(args: argparse.Namespace, chat: Optional[Target], embed: Optional[Target], done: set[str]) -> BatchStats:
    from ..aio import ChatCompletionsClient, EmbeddingsClient  # the async clients load aiohttp

    chat_client = _client(ChatCompletionsClient, chat, args.api_version)
    embeddings_client = _client(EmbeddingsClient, embed, args.api_version)
    models = {route: target.model for route, target in ((CHAT, chat), (EMBEDDINGS, embed)) if target and target.model}
    runner = BatchRunner(
        chat=chat_client,
        embeddings=embeddings_client,
        concurrency=args.concurrency,
        rpm=args.rpm,
        tpm=args.tpm,
        max_retries=args.max_retries,
        max_retry_wait=args.max_retry_wait,
        max_embedding_inputs=args.max_embedding_inputs,
        model=models,
        ordered=args.ordered,
    )
    input_path, output_path = Path(args.input), Path(args.output)
    progress = Progress(count_lines(input_path), len(done), runner.stats, sys.stderr, args.progress_every)
    writer = ResultWriter(output_path)
    try:
        async for result in runner.run(_lines(input_path), skip=done):
            writer.write(result)
            progress.update()
    finally:
        writer.close()
        progress.close()
        for client in (chat_client, embeddings_client):
            if client is not None:
                await client.close()
        for target in (chat, embed):
            close = getattr(target.credential, "close", None) if target is not None else None
            if close is not None:
                await close()
    return runner.stats


def run(args: argparse.Namespace, chat: Optional[Target], embed: Optional[Target], out: TextIO) -> int:
    """Run the batch command; 0 when every item of this run succeeded, 1 when some failed (see OUTPUT)."""
    input_path, output_path = Path(args.input), Path(args.output)
    if not input_path.is_file():
        raise BatchUsageError(f"no input file {str(input_path)!r}")
    if output_path.exists() and output_path.resolve() == input_path.resolve():
        raise BatchUsageError("the output file must not be the input file")
    if chat is None and embed is None:
        raise BatchUsageError(
            "no endpoint: pass --endpoint or set AZURE_AI_CHAT_ENDPOINT, AZURE_AI_EMBEDDINGS_ENDPOINT "
            "or AZURE_INFERENCE_ENDPOINT"
        )
    for name in ("concurrency", "max_embedding_inputs"):
        if getattr(args, name) < 1:
            raise BatchUsageError(f"--{name.replace('_', '-')} must be at least 1")
    for name in ("rpm", "tpm"):
        if getattr(args, name) is not None and getattr(args, name) <= 0:
            raise BatchUsageError(f"--{name} must be a positive number")
    try:
        import aiohttp  # noqa: F401
    except ImportError:
        raise BatchUsageError("the batch command needs aiohttp: pip install azure-ai-inference[aio]") from None
    done = read_done(output_path)
    stats = asyncio.run(_run(args, chat, embed, done))
    out.write(json.dumps(stats.as_dict()) + "\n" if args.json else summary(stats) + "\n")
    return 1 if stats.failed else 0


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The batch command's own arguments (the endpoint, key, model and api-version ones are common)."""
    parser.add_argument("input", help="the Batch API input file (JSONL: custom_id, method, url, body)")
    parser.add_argument("output", help="the results file (JSONL), appended to; a rerun skips what it holds")
    parser.add_argument("--concurrency", type=int, default=32, help="calls in flight at most (default 32)")
    parser.add_argument("--rpm", type=float, help="the deployment's requests-per-minute quota")
    parser.add_argument("--tpm", type=float, help="the deployment's tokens-per-minute quota")
    parser.add_argument(
        "--max-retry-wait", type=float, default=60.0, help="longest wait for a retry the service may ask for (s)"
    )
    parser.add_argument("--max-retries", type=int, default=8, help="retries of one call (default 8)")
    parser.add_argument(
        "--max-embedding-inputs", type=int, default=2048, help="inputs per embeddings call (default 2048)"
    )
    parser.add_argument("--ordered", action="store_true", help="write results in input order")
    parser.add_argument(
        "--progress-every",
        type=float,
        default=PROGRESS_EVERY,
        help=f"seconds between progress lines when no progress bar is shown (default {PROGRESS_EVERY:g})",
    )
