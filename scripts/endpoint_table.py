"""Endpoint kind x operation against today's Azure as the test emulator plays it: the URL sent and the outcome.

    .venv/bin/python scripts/endpoint_table.py [--b9 PYTHON]

Each cell runs unchanged 1.0.0b9-era user code (sync clients) in a fresh interpreter, with the environment the
``azure_today`` fixture sets: real Azure host names, reached over TLS on 127.0.0.1 through a CONNECT proxy (only
127.0.0.1 is connected; see tests/azure_tls.py and tests/azure_today.py for the emulated service and its sources).
``--b9 PYTHON`` adds a column for an interpreter with the published azure-ai-inference 1.0.0b9 installed (run
from a scratch directory so that this checkout is not imported). Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import pytest  # noqa: E402  (the test infrastructure's MonkeyPatch sets the environment)

from tests.azure_tls import AzureWorld  # noqa: E402
from tests.emulator import EMULATOR_KEY, Emulator  # noqa: E402

# The user code of each operation: 1.0.0b9's public API only.
DRIVER = r"""
import sys
from azure.core.credentials import AzureKeyCredential
from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, ImageEmbeddingsClient, load_client
from azure.ai.inference.models import ImageEmbeddingInput, UserMessage

endpoint, operation, key, model = sys.argv[1:5]
kwargs = {"model": model} if model else {}
credential = AzureKeyCredential(key)
try:
    if operation == "chat":
        reply = ChatCompletionsClient(endpoint, credential, **kwargs).complete(messages=[UserMessage("hi")])
        outcome = "ok: " + reply.choices[0].message.content
    elif operation == "stream":
        chat = ChatCompletionsClient(endpoint, credential, **kwargs)
        stream = chat.complete(messages=[UserMessage("hi")], stream=True)
        outcome = "ok: " + "".join(u.choices[0].delta.content or "" for u in stream if u.choices)
    elif operation == "embeddings":
        result = EmbeddingsClient(endpoint, credential, **kwargs).embed(input=["hi"], input_type="text")
        outcome = f"ok: {len(result.data)} vector"
    elif operation == "image embeddings":
        image = ImageEmbeddingInput(image="data:image/png;base64,iVBORw0KGgo=")
        result = ImageEmbeddingsClient(endpoint, credential, **kwargs).embed(input=[image])
        outcome = f"ok: {len(result.data)} vector"
    elif operation == "model info":
        info = ChatCompletionsClient(endpoint, credential, **kwargs).get_model_info()
        outcome = f"ok: {info.model_name} / {info.model_type}"
    else:
        outcome = "ok: " + type(load_client(endpoint, credential, **kwargs)).__name__
except Exception as exc:
    status = getattr(exc, "status_code", None)
    first = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    outcome = f"{type(exc).__name__}{f' {status}' if status else ''}: {first[:90]}"
print(outcome)
"""

OPERATIONS = ["chat", "stream", "embeddings", "image embeddings", "model info", "load_client"]


def endpoints(local: Emulator) -> list[tuple[str, str, dict[str, str]]]:
    """(kind, endpoint, model per operation) of each row."""
    chat, embed = "gpt-4o-mini", "text-embedding-3-small"
    models = {op: embed if op == "embeddings" else chat for op in OPERATIONS}
    models["image embeddings"] = "Cohere-embed-v3-english"
    return [
        ("Foundry /openai/v1", "https://myres.services.ai.azure.com/openai/v1", models),
        ("Foundry /models", "https://myres.services.ai.azure.com/models", models),
        ("Azure OpenAI deployment", "https://myres.openai.azure.com/openai/deployments/gpt-4o-mini", {}),
        ("Managed Compute", "https://ep.eastus2.inference.ml.azure.com", {}),
        ("local server /v1", f"{local.endpoint}/v1", {}),
        ("GitHub Models", "https://models.inference.ai.azure.com", {op: "gpt-4o" for op in OPERATIONS}),
    ]


def run(python: str, endpoint: str, operation: str, model: str, cwd: str) -> str:
    done = subprocess.run(
        [python, "-c", DRIVER, endpoint, operation, EMULATOR_KEY, model],
        capture_output=True, text=True, timeout=120, cwd=cwd, env=dict(os.environ, PYTHONPATH=""),
    )  # fmt: skip
    return (done.stdout.strip() or done.stderr.strip().splitlines()[-1])[:110]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--b9", help="an interpreter with azure-ai-inference 1.0.0b9 installed")
    args = parser.parse_args()
    columns = [("this package", sys.executable, str(ROOT))]
    scratch = tempfile.mkdtemp()
    if args.b9:
        columns.append(("1.0.0b9", args.b9, scratch))
    patch = pytest.MonkeyPatch()
    with AzureWorld() as world, Emulator(key=EMULATOR_KEY) as local:
        world.enter(patch)  # the environment, which the child processes inherit
        local.local_models, local.require_api_version = ["smollm2-135m-instruct"], False
        print("| endpoint kind | operation | " + " | ".join(f"{name}: URL sent -> outcome" for name, _, _ in columns))
        print("|---|---|" + "---|" * len(columns))
        for kind, endpoint, models in endpoints(local):
            for operation in OPERATIONS:
                cells = []
                for _, python, cwd in columns:
                    world.emulator.reset()
                    local.reset()
                    local.local_models, local.require_api_version = ["smollm2-135m-instruct"], False
                    outcome = run(python, endpoint, operation, models.get(operation, ""), cwd)
                    urls = [r.url for r in world.emulator.requests] + [
                        f"{local.endpoint}{r.path}{'?' + r.raw_query if r.raw_query else ''}" for r in local.requests
                    ]
                    sent = ", ".join(u.replace("https://", "").replace("http://", "") for u in urls) or "(nothing)"
                    cells.append(f"`{sent}` -> {outcome}".replace("|", "/"))
                print(f"| {kind} `{endpoint}` | {operation} | " + " | ".join(cells) + " |")
    patch.undo()


if __name__ == "__main__":
    main()
