"""The command line, run as a subprocess against the emulator."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from .emulator import EMULATOR_KEY, Emulator


def run(*args: str, env: dict[str, str] | None = None, stdin: str = "") -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("AZURE_AI_", "AZURE_INFERENCE_"))}
    return subprocess.run(
        [sys.executable, "-m", "azure.ai.inference", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
        env={**clean, **(env or {})},
    )


def test_chat_streams_the_reply(emulator: Emulator) -> None:
    done = run("chat", "hello", "there", "--endpoint", emulator.endpoint, "--key", EMULATOR_KEY)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "Echo: hello there\n"
    assert emulator.requests[-1].json()["stream"] is True


def test_chat_json_from_skill_card_environment(emulator: Emulator) -> None:
    env = {"AZURE_INFERENCE_ENDPOINT": emulator.endpoint, "AZURE_INFERENCE_CREDENTIAL": EMULATOR_KEY}
    done = run("chat", "hi", "--json", "--model", "m7", env=env)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["choices"][0]["message"]["content"] == "Echo: hi"
    assert emulator.requests[-1].json()["model"] == "m7"


def test_interactive_chat_keeps_history(emulator: Emulator) -> None:
    env = {"AZURE_AI_CHAT_ENDPOINT": emulator.endpoint, "AZURE_AI_CHAT_KEY": EMULATOR_KEY}
    done = run("chat", "--system", "be brief", "--no-stream", env=env, stdin="first\nsecond\nexit\n")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["Echo: first", "Echo: second"]
    roles = [m["role"] for m in emulator.requests[-1].json()["messages"]]
    assert roles == ["system", "user", "assistant", "user"]


def test_embed_and_info(emulator: Emulator) -> None:
    env = {"AZURE_AI_EMBEDDINGS_ENDPOINT": emulator.url("/embed"), "AZURE_AI_EMBEDDINGS_KEY": EMULATOR_KEY}
    done = run("embed", "a", "b", "--dimensions", "4", "--json", env=env)
    assert done.returncode == 0, done.stderr
    assert [len(d["embedding"]) for d in json.loads(done.stdout)["data"]] == [4, 4]
    text = run("embed", "a", env=env)
    assert text.returncode == 0 and text.stdout.startswith("[0] 8 values: ")
    info = run("info", "--endpoint", emulator.url("/embed"), "--key", EMULATOR_KEY)
    assert info.returncode == 0 and info.stdout == "emulated-model (embeddings) by Emulator\n"


def test_errors_say_what_went_wrong(emulator: Emulator) -> None:
    missing = run("chat", "hi")
    assert missing.returncode == 2 and "AZURE_AI_CHAT_ENDPOINT" in missing.stderr
    denied = run("chat", "hi", "--endpoint", emulator.endpoint, "--key", "wrong-key")
    assert denied.returncode == 1 and "HTTP 401" in denied.stderr
    assert "wrong-key" not in denied.stderr
    not_found = run("info", "--endpoint", emulator.url("/noinfo"), "--key", EMULATOR_KEY)
    assert not_found.returncode == 1 and "/info" in not_found.stderr
    usage = run("bogus")
    assert usage.returncode == 2
