"""Every sample runs as its own process against the emulator, and prints what it shows.

The samples run in parallel (a thread pool of subprocesses) once per module; each case is then
checked in its own test. A marked test runs a few samples against a real local model server.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from .emulator import EMULATOR_KEY, Emulator, RecordedRequest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
TIMEOUT = 60  # seconds per sample
WORKERS = 4
MODEL = "sample-model"
CLEAN = "Traceback", "Warning", "Unclosed"  # never on stderr of a sample that succeeds

# Runs a sample with pydantic made unimportable: ``python -c BLOCK_PYDANTIC <sample>``.
BLOCK_PYDANTIC = (
    "import runpy, sys; sys.modules['pydantic'] = None; sys.argv = sys.argv[1:]; "
    "runpy.run_path(sys.argv[0], run_name='__main__')"
)


def emulator_env(endpoint: str) -> dict[str, str]:
    """Every variable the samples read, pointing at the emulator."""
    key = EMULATOR_KEY
    return {
        "AZURE_AI_CHAT_ENDPOINT": endpoint,
        "AZURE_AI_CHAT_KEY": key,
        "AZURE_AI_CHAT_DEPLOYMENT_NAME": MODEL,
        "AZURE_AI_EMBEDDINGS_ENDPOINT": f"{endpoint}/embed",
        "AZURE_AI_EMBEDDINGS_KEY": key,
        "AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME": MODEL,
        "AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT": f"{endpoint}/image",
        "AZURE_AI_IMAGE_EMBEDDINGS_KEY": key,
        "AZURE_OPENAI_CHAT_ENDPOINT": f"{endpoint}/openai/deployments/chat",
        "AZURE_OPENAI_CHAT_KEY": key,
        "AZURE_OPENAI_EMBEDDINGS_ENDPOINT": f"{endpoint}/openai/deployments/embeddings",
        "AZURE_OPENAI_EMBEDDINGS_KEY": key,
    }


def base_env() -> dict[str, str]:
    """This process's environment without any AZURE_* variable, so a developer's settings do not leak in."""
    return {name: value for name, value in os.environ.items() if not name.startswith("AZURE_")}


@dataclass(frozen=True)
class Case:
    """One run of a sample and what it must print."""

    script: str  # relative to samples/
    stdout: tuple[str, ...] = ()
    exit_code: int = 0
    stderr: tuple[str, ...] = ()
    not_stderr: tuple[str, ...] = ()
    env: str = "emulator"  # "emulator": every variable set; "none": no AZURE_* variable
    overrides: tuple[tuple[str, str | None], ...] = ()  # {endpoint} is replaced; None removes the variable
    block_pydantic: bool = False
    name: str = ""

    @property
    def id(self) -> str:
        return self.name or self.script

    def command(self) -> list[str]:
        prefix = ["-c", BLOCK_PYDANTIC] if self.block_pydantic else []
        return [sys.executable, "-W", "always::ResourceWarning", *prefix, self.script]

    def environment(self, endpoint: str) -> dict[str, str]:
        env = base_env()
        if self.env == "emulator":
            env.update(emulator_env(endpoint))
        for name, value in self.overrides:
            if value is None:
                env.pop(name, None)
            else:
                env[name] = value.format(endpoint=endpoint)
        return env


def _has_ray() -> bool:
    try:
        import ray  # noqa: F401
    except ImportError:
        return False
    return True


def _has_pydantic() -> bool:
    try:
        import pydantic  # noqa: F401
    except ImportError:
        return False
    return True


ENTRA_REFUSED = dict(exit_code=1, stderr=("ServiceRequestError", "non-TLS protected (non-https)"))
PYDANTIC_MISSING = dict(exit_code=2, stderr=("needs the package pydantic", "pip install pydantic"))
CHAT_NAMES = "AZURE_AI_CHAT_ENDPOINT or AZURE_INFERENCE_ENDPOINT", "AZURE_AI_CHAT_KEY or AZURE_INFERENCE_CREDENTIAL"
ASYNC = "async_samples/"

CASES = [
    # sync chat
    Case("sample_chat_completions.py", ("Echo: How many feet are in a mile?", f"model: {MODEL}", "usage: 17 prompt")),
    Case(
        "sample_chat_completions_with_defaults.py",
        (
            "with the client's defaults: Echo: Name three primary colors.",
            "max_tokens=3 for this call: Echo: Describe the (cut off",
        ),
    ),
    Case(
        "sample_chat_completions_with_history.py",
        ("assistant: Echo: Who first reached its summit?", "7 messages in the history"),
    ),
    Case("sample_chat_completions_with_model_extras.py", ("Echo: Suggest a name for a pet turtle.", "usage: ")),
    Case("sample_chat_completions_from_input_bytes.py", ("Echo: Which planet in our solar system is the largest?",)),
    Case(
        "sample_chat_completions_from_input_dict.py", ("Echo: Which planet is closest to the Sun?", f"model: {MODEL}")
    ),
    Case("sample_chat_completions_from_input_dict_with_image_url.py", ("Echo: What does this image show?",)),
    Case("sample_chat_completions_with_image_url.py", ("Echo: What does this image show?",)),
    Case(
        "sample_chat_completions_with_image_data.py",
        ("data URL of 278 characters: data:image/png;base64,", "Echo: Describe this picture in one sentence."),
    ),
    Case(
        "sample_chat_completions_with_audio_data.py",
        ("audio sent as 5392 base64 characters", "Echo: What do you hear in this recording?"),
    ),
    Case(
        "sample_chat_completions_with_tools.py",
        ("tool call get_weather({'city': 'x', 'unit': 'celsius'})", 'answer: Echo: {"city": "x", "temperature": 18'),
    ),
    Case("sample_chat_completions_streaming.py", ("Echo: Give me three tips for writing clear code.\n", "(11 updates")),
    Case(
        "sample_chat_completions_streaming_with_tools.py",
        ("tool call get_local_time({'city': 'x'})", 'Echo: {"city": "x", "local_time": "14:30"}'),
    ),
    Case("sample_chat_completions_with_entra_id_auth.py", **ENTRA_REFUSED),
    Case("sample_chat_completions_streaming_with_entra_id_auth.py", **ENTRA_REFUSED),
    Case(
        "sample_chat_completions_with_structured_output.py", ('"servings": 1', "recipe 'x': 0 ingredients, 1 minutes")
    ),
    Case(
        "sample_chat_completions_with_structured_output_pydantic.py",
        **(
            dict(stdout=("CityFacts(city='x', country='x', population=1, area_km2=1.0)",))
            if _has_pydantic()
            else PYDANTIC_MISSING
        ),
    ),
    Case(
        "sample_chat_completions_with_structured_output_pydantic.py",
        block_pydantic=True,
        name="structured_output_pydantic without pydantic",
        **PYDANTIC_MISSING,
    ),
    Case("sample_chat_completions_azure_openai.py", ("Echo: What is a haiku?", "model: emulated-model")),
    # the prompt-template and tracing samples (their own issues); light checks here, so that every sample runs
    Case(
        "sample_chat_completions_from_input_prompt_string.py",
        ("user: 'What should I read next?'", "answer: Echo: What should"),
    ),
    Case("sample_chat_completions_from_input_prompty.py", ("PromptTemplate(name=", "answer: Echo: ")),
    Case("sample_chat_completions_with_tracing.py", ("answer: Echo: ", '"gen_ai.system": "az.ai.inference"')),
    Case(
        "sample_chat_completions_with_azure_monitor_tracing.py",  # never exports: no connection string here
        exit_code=2,
        stderr=("APPLICATIONINSIGHTS_CONNECTION_STRING",),
    ),
    # sync embeddings and model info
    Case("sample_embeddings.py", ("'The quick brown fox': length=8, [", "'the lazy dog': length=8", "usage: 9 prompt")),
    Case("sample_embeddings_with_base64_encoding.py", ("'first phrase': 44 base64 characters", "length=8, [")),
    Case(
        "sample_embeddings_with_defaults.py",
        ("query 'How much light do tomato plants need?': length=8", "most similar: "),
    ),
    Case("sample_embeddings_azure_openai.py", ("'third phrase': length=8, [",)),
    Case("sample_image_embeddings.py", ("sample_image.png: length=8, [",)),
    Case(
        "sample_image_embeddings_with_defaults.py",
        ("with the client's defaults: length=16", "with dimensions=4 for this call: length=4"),
    ),
    Case(
        "sample_get_model_info.py",
        ("model name: emulated-model", "model provider: Emulator", "'model_type': 'chat_completion'"),
    ),
    Case("sample_load_client.py", ("ChatCompletionsClient for emulated-model", "Echo: Tell me a one-line joke.")),
    Case(
        "sample_load_client.py",
        ("EmbeddingsClient for emulated-model", "length=8"),
        overrides=(("AZURE_AI_CHAT_ENDPOINT", "{endpoint}/embed"),),
        name="load_client on an embeddings endpoint",
    ),
    Case(
        "sample_load_client.py",
        ("ImageEmbeddingsClient for emulated-model", "length=8"),
        overrides=(("AZURE_AI_CHAT_ENDPOINT", "{endpoint}/image"),),
        name="load_client on an image embeddings endpoint",
    ),
    # the batch command line
    Case(
        "sample_batch_chat.py",
        ("done 6, failed 0, retried 0", "capital-france: Echo: What is the capital of France?", "prime-check: Echo: "),
    ),
    Case(
        "sample_batch_embeddings.py",
        ("done 4, failed 0", "gardening: 3 vectors of length 8", "running: 2 vectors of length 8", "closest to "),
    ),
    Case(  # Ray is an optional extra; scripts/ray.sh runs this sample where it is installed (tests/test_batch_ray.py)
        "sample_batch_ray.py",
        **(
            dict(stdout=("gardening: 3 vectors of length 8", "4 lines embedded on 2 Ray workers"))
            if _has_ray()
            else dict(exit_code=2, stderr=('needs Ray Data: pip install "azure-ai-inference[ray]"',))
        ),
    ),
    # async
    Case(ASYNC + "sample_chat_completions_async.py", ("Echo: What is the boiling point of water", f"model: {MODEL}")),
    Case(
        ASYNC + "sample_chat_completions_streaming_async.py",
        ("Echo: List the four seasons of the year.\n", "(10 updates"),
    ),
    Case(ASYNC + "sample_chat_completions_streaming_azure_openai_async.py", ("Echo: Explain what a rainbow is.",)),
    Case(ASYNC + "sample_chat_completions_from_input_bytes_async.py", ("Echo: Which planet in our solar system",)),
    Case(ASYNC + "sample_chat_completions_from_input_dict_async.py", ("Echo: How many moons does Mars have?", MODEL)),
    Case(ASYNC + "sample_embeddings_async.py", ("'second phrase': length=8, [",)),
    Case(ASYNC + "sample_image_embeddings_async.py", ("sample_image.png: length=8, [",)),
    Case(
        ASYNC + "sample_load_client_async.py", ("ChatCompletionsClient for emulated-model", "Echo: Tell me a one-line")
    ),
    Case(
        ASYNC + "sample_load_client_async.py",
        ("EmbeddingsClient for emulated-model", "length=8"),
        overrides=(("AZURE_AI_CHAT_ENDPOINT", "{endpoint}/embed"),),
        name="async load_client on an embeddings endpoint",
    ),
    # environment variables
    Case(
        "sample_chat_completions.py",
        ("Echo: How many feet are in a mile?", "model: skill-card-model"),
        env="none",
        overrides=(
            ("AZURE_INFERENCE_ENDPOINT", "{endpoint}"),
            ("AZURE_INFERENCE_CREDENTIAL", EMULATOR_KEY),
            ("AZURE_INFERENCE_MODEL", "skill-card-model"),
        ),
        name="chat with the AZURE_INFERENCE_* names",
    ),
    Case("sample_chat_completions.py", exit_code=2, stderr=CHAT_NAMES, env="none", name="chat without variables"),
    Case(
        "sample_chat_completions.py",
        exit_code=2,
        stderr=(CHAT_NAMES[1],),
        not_stderr=("AZURE_AI_CHAT_ENDPOINT",),
        env="none",
        overrides=(("AZURE_AI_CHAT_ENDPOINT", "{endpoint}"),),
        name="chat without a key",
    ),
    Case(
        "sample_chat_completions_with_entra_id_auth.py",
        exit_code=2,
        stderr=(CHAT_NAMES[0],),
        not_stderr=("KEY", "CREDENTIAL"),
        env="none",
        name="Entra ID sample without variables",
    ),
    Case(
        "sample_embeddings_azure_openai.py",
        exit_code=2,
        stderr=("AZURE_OPENAI_EMBEDDINGS_ENDPOINT", "AZURE_OPENAI_EMBEDDINGS_KEY"),
        not_stderr=("AZURE_OPENAI_API_VERSION",),  # optional
        env="none",
        name="Azure OpenAI embeddings without variables",
    ),
    Case(
        ASYNC + "sample_image_embeddings_async.py",
        exit_code=2,
        stderr=("sample_image_embeddings_async.py: missing", "AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT", "_EMBEDDINGS_KEY"),
        env="none",
        name="async image embeddings without variables",
    ),
]


@dataclass(frozen=True)
class Outcome:
    exit_code: int | None  # None: timed out
    stdout: str
    stderr: str


def run(command: list[str], env: dict[str, str], timeout: float = TIMEOUT) -> Outcome:
    try:
        done = subprocess.run(command, cwd=SAMPLES, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired as exc:
        return Outcome(None, str(exc.stdout or ""), f"timed out after {timeout} s\n{exc.stderr or ''}")
    return Outcome(done.returncode, done.stdout, done.stderr)


@dataclass(frozen=True)
class Runs:
    outcomes: dict[str, Outcome]
    requests: list[RecordedRequest]

    def request_with(self, text: str) -> RecordedRequest:
        """The one request whose body contains ``text``."""
        found = [request for request in self.requests if text.encode() in request.body]
        assert len(found) == 1, f"{len(found)} requests contain {text!r}"
        return found[0]


@pytest.fixture(scope="module")
def runs() -> Iterator[Runs]:
    """Every case run once, four at a time, against an emulator of their own."""
    with Emulator(key=EMULATOR_KEY) as emulator, ThreadPoolExecutor(WORKERS) as pool:
        futures = {case.id: pool.submit(run, case.command(), case.environment(emulator.endpoint)) for case in CASES}
        outcomes = {name: future.result() for name, future in futures.items()}
        yield Runs(outcomes, list(emulator.requests))


def test_cases_cover_every_sample() -> None:
    on_disk = {
        path.relative_to(SAMPLES).as_posix()
        for path in [*SAMPLES.glob("sample_*.py"), *SAMPLES.glob("async_samples/sample_*.py")]
        if path.name != "sample_env.py"
    }
    assert on_disk == {case.script for case in CASES}
    assert len({case.id for case in CASES}) == len(CASES)
    readme = (SAMPLES / "README.md").read_text(encoding="utf-8")
    assert [script for script in sorted(on_disk) if f"[`{script}`]({script})" not in readme] == []


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_sample(case: Case, runs: Runs) -> None:
    outcome = runs.outcomes[case.id]
    report = f"exit code {outcome.exit_code}\n--- stdout\n{outcome.stdout}\n--- stderr\n{outcome.stderr}"
    assert outcome.exit_code == case.exit_code, report
    for text in case.stdout:
        assert text in outcome.stdout, report
    for text in case.stderr:
        assert text in outcome.stderr, report
    for text in case.not_stderr:
        assert text not in outcome.stderr, report
    if case.exit_code == 0:
        assert not any(word in outcome.stderr for word in CLEAN), report


def test_samples_send_what_they_show(runs: Runs) -> None:
    """A few samples' requests, as the emulator received them."""
    extras = runs.request_with("pet turtle")
    assert extras.headers["extra-parameters"] == "pass-through"
    assert extras.json()["top_k"] == 40

    defaults = runs.request_with("Name three primary colors")
    assert {k: defaults.json()[k] for k in ("temperature", "top_p", "max_tokens", "seed", "model")} == {
        "temperature": 0.2, "top_p": 0.9, "max_tokens": 60, "seed": 7, "model": MODEL,
    }  # fmt: skip
    assert runs.request_with("Describe the ocean").json()["max_tokens"] == 3

    history = runs.request_with("Who first reached its summit?").json()["messages"]
    assert [m["role"] for m in history] == ["system", "user", "assistant", "user", "assistant", "user"]

    file_body = (SAMPLES / "data" / "chat_request.json").read_bytes()
    assert sum(request.body == file_body for request in runs.requests) == 2  # sync and async, byte for byte

    openai = runs.request_with("What is a haiku?")
    assert openai.path == "/openai/deployments/chat/chat/completions"
    assert openai.query["api-version"] == "2024-06-01"
    assert openai.headers["api-key"] == EMULATOR_KEY

    messages = runs.request_with("partly cloudy").json()["messages"]  # the second round of the tools sample
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "tool"]
    assert messages[-1]["tool_call_id"] == messages[-2]["tool_calls"][0]["id"]

    query = runs.request_with("How much light do tomato plants need?").json()
    assert query["input_type"] == "query"
    assert runs.request_with("Tomatoes grow best").json()["input_type"] == "document"

    prompt = runs.request_with("Is 97 a prime number?").json()  # the batch file names no model: the CLI fills it in
    assert prompt["model"] == MODEL and prompt["max_tokens"] == 40
    assert len(runs.request_with("Tomatoes need six").json()["input"]) == 2  # chunked by --max-embedding-inputs 2
    assert runs.request_with("Mulch keeps").json()["input"] == ["Mulch keeps the soil moist and cool."]

    # The token credential is refused before anything is sent.
    assert not [r for r in runs.requests if b"Entra ID" in r.body or b"haiku about the sea" in r.body]


# --- a real model -------------------------------------------------------------------------------------------

LOCAL_CHAT = "AZURE_AI_INFERENCE_LOCAL_MODEL_ENDPOINT"
LOCAL_EMBEDDINGS = "AZURE_AI_INFERENCE_LOCAL_MODEL_EMBEDDINGS_ENDPOINT"
LOCAL_KEY = "AZURE_AI_INFERENCE_LOCAL_MODEL_KEY"
LOCAL_NAME = "AZURE_AI_INFERENCE_LOCAL_MODEL_NAME"


def local_env(variable: str) -> dict[str, str]:
    """The samples' variables pointing at the local model server, or a skip saying what to set."""
    endpoint = os.environ.get(variable)
    if not endpoint:
        pytest.skip(f"no local model server: set {variable} (samples/run_local_model.sh starts one)")
    env = base_env()
    key, model = os.environ.get(LOCAL_KEY) or "local-model-key", os.environ.get(LOCAL_NAME) or ""
    env.update(AZURE_AI_CHAT_ENDPOINT=endpoint, AZURE_AI_CHAT_KEY=key, AZURE_AI_CHAT_DEPLOYMENT_NAME=model)
    env.update(AZURE_AI_EMBEDDINGS_ENDPOINT=endpoint, AZURE_AI_EMBEDDINGS_KEY=key)
    env.update(AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME=model)
    return env


LOCAL_CASES: list[tuple[str, str, str]] = [  # sample, server variable, pattern its output must match
    ("sample_chat_completions.py", LOCAL_CHAT, r"\S.*\nmodel: .*\nusage: [1-9]\d* prompt \+ [1-9]\d* completion"),
    ("sample_chat_completions_streaming.py", LOCAL_CHAT, r"\S[\s\S]*\n\(([2-9]|\d\d+) updates received\)"),
    ("sample_embeddings.py", LOCAL_EMBEDDINGS, r"'The quick brown fox': length=[1-9]\d*, \[-?\d"),
    ("sample_batch_chat.py", LOCAL_CHAT, r"done 6, failed 0[\s\S]*\ncapital-france: \S"),
    ("sample_batch_embeddings.py", LOCAL_EMBEDDINGS, r"done 4, failed 0[\s\S]*gardening: 3 vectors of length [1-9]"),
]


@pytest.mark.local_model
@pytest.mark.parametrize(("script", "variable", "pattern"), LOCAL_CASES, ids=[c[0] for c in LOCAL_CASES])
def test_sample_against_local_model(script: str, variable: str, pattern: str) -> None:
    outcome = run([sys.executable, script], local_env(variable), timeout=300)
    print(outcome.stdout)  # the model's own words, shown with pytest -s
    report = f"exit code {outcome.exit_code}\n--- stdout\n{outcome.stdout}\n--- stderr\n{outcome.stderr}"
    assert outcome.exit_code == 0, report
    assert re.search(pattern, outcome.stdout), report
