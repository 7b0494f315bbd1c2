"""Reads the endpoint, key and model name the samples need from environment variables.

Every sample imports from here, so a missing variable is reported the same way everywhere:
a message on stderr naming each missing variable, and exit status 2.
"""

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

DATA_DIR = Path(__file__).resolve().parent / "data"
"""The image, audio and JSON files the samples send."""

IMAGE_URL = "https://www.python.org/static/img/python-logo.png"
"""A public image; the service fetches it, the sample only sends its URL."""


@dataclass(frozen=True)
class Settings:
    """Where a sample sends its requests."""

    endpoint: str
    key: str = ""
    model: Optional[str] = None
    api_version: Optional[str] = None

    def model_kwargs(self) -> Dict[str, Any]:
        """``model=`` for the client when a model (deployment) name is configured, else nothing."""
        return {"model": self.model} if self.model else {}


def _first(names: Tuple[str, ...]) -> Optional[str]:
    """The value of the first of these variables that is set and not empty."""
    return next((os.environ[name] for name in names if os.environ.get(name)), None)


def _read(required: Sequence[Tuple[str, ...]], optional: Tuple[str, ...] = ()) -> List[Any]:
    """One value per group of names (the optional one last, maybe None); exits 2 naming every missing group."""
    values = [_first(names) for names in required]
    missing = [" or ".join(names) for names, value in zip(required, values) if value is None]
    if missing:
        lines = "".join(f"\n  {name}" for name in missing)
        print(
            f"{Path(sys.argv[0]).name}: missing environment variable(s):{lines}\n"
            "See samples/README.md for what to set.",
            file=sys.stderr,
        )
        sys.exit(2)
    return [*values, _first(optional)]


def chat(*, key: bool = True) -> Settings:
    """A chat completions endpoint; ``key=False`` for samples that authenticate with Entra ID instead."""
    required = [("AZURE_AI_CHAT_ENDPOINT", "AZURE_INFERENCE_ENDPOINT")]
    if key:
        required.append(("AZURE_AI_CHAT_KEY", "AZURE_INFERENCE_CREDENTIAL"))
    endpoint, *rest, model = _read(required, ("AZURE_AI_CHAT_DEPLOYMENT_NAME", "AZURE_INFERENCE_MODEL"))
    return Settings(endpoint, rest[0] if rest else "", model)


def embeddings() -> Settings:
    """A text embeddings endpoint."""
    endpoint, key, model = _read(
        [("AZURE_AI_EMBEDDINGS_ENDPOINT",), ("AZURE_AI_EMBEDDINGS_KEY",)], ("AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME",)
    )
    return Settings(endpoint, key, model)


def image_embeddings() -> Settings:
    """An image embeddings endpoint."""
    endpoint, key, _ = _read([("AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT",), ("AZURE_AI_IMAGE_EMBEDDINGS_KEY",)])
    return Settings(endpoint, key)


def _azure_openai(kind: str) -> Settings:
    endpoint, key, version = _read(
        [(f"AZURE_OPENAI_{kind}_ENDPOINT",), (f"AZURE_OPENAI_{kind}_KEY",)], ("AZURE_OPENAI_API_VERSION",)
    )
    return Settings(endpoint, key, api_version=version or "2024-06-01")


def azure_openai_chat() -> Settings:
    """An Azure OpenAI chat deployment: ``https://<resource>.openai.azure.com/openai/deployments/<name>``."""
    return _azure_openai("CHAT")


def azure_openai_embeddings() -> Settings:
    """An Azure OpenAI embeddings deployment."""
    return _azure_openai("EMBEDDINGS")
