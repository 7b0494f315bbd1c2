"""Command line: ``python -m azure.ai.inference {chat,embed,info,batch}``.

Endpoint, key and model come from ``--endpoint`` / ``--key`` / ``--model`` or the environment variables
of the samples (``AZURE_AI_CHAT_*``, ``AZURE_AI_EMBEDDINGS_*``), then the documented
``AZURE_INFERENCE_ENDPOINT`` / ``AZURE_INFERENCE_CREDENTIAL`` / ``AZURE_INFERENCE_MODEL``. Without a key,
Entra ID (``azure-identity``) is used. ``batch`` runs a Batch API file: chat lines go to the chat endpoint,
embeddings lines to the embeddings one. Exit codes: 0 success, 1 the service or the connection failed
(for ``batch``: some item failed), 2 a usage or configuration error, 130 interrupted.
"""

import argparse
import json
import os
import sys
from typing import Any, Dict, List, Optional, Sequence, TextIO

from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import AzureError, HttpResponseError

from ._patch import ChatCompletionsClient, EmbeddingsClient
from .models import AssistantMessage, SystemMessage, UserMessage

_ENV = {
    "chat": ("AZURE_AI_CHAT_ENDPOINT", "AZURE_AI_CHAT_KEY", "AZURE_AI_CHAT_DEPLOYMENT_NAME"),
    "embed": ("AZURE_AI_EMBEDDINGS_ENDPOINT", "AZURE_AI_EMBEDDINGS_KEY", "AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME"),
}
_ENV["info"] = _ENV["chat"]
_FALLBACK = ("AZURE_INFERENCE_ENDPOINT", "AZURE_INFERENCE_CREDENTIAL", "AZURE_INFERENCE_MODEL")


class UsageError(Exception):
    """A problem with the arguments or the environment (exit code 2)."""


def _setting(given: Optional[str], index: int, command: str) -> Optional[str]:
    return given or os.environ.get(_ENV[command][index]) or os.environ.get(_FALLBACK[index]) or None


def _credential(args: argparse.Namespace, command: str, *, is_async: bool) -> Any:
    """The key given, else Entra ID through azure-identity's DefaultAzureCredential (sync or async)."""
    key = _setting(args.key, 1, command)
    if key:
        return AzureKeyCredential(key)
    try:
        if is_async:
            from azure.identity.aio import DefaultAzureCredential
        else:
            from azure.identity import DefaultAzureCredential  # type: ignore[assignment]
    except ImportError:
        raise UsageError(
            f"no key: pass --key or set {_ENV[command][1]}, or install azure-identity for Entra ID"
        ) from None
    return DefaultAzureCredential()


def _client(args: argparse.Namespace, cls: Any) -> Any:
    endpoint = _setting(args.endpoint, 0, args.command)
    if not endpoint:
        raise UsageError(f"no endpoint: pass --endpoint or set {_ENV[args.command][0]} or {_FALLBACK[0]}")
    credential = _credential(args, args.command, is_async=False)
    kwargs: Dict[str, Any] = {"model": _setting(args.model, 2, args.command)}
    if args.api_version is not None:
        kwargs["api_version"] = args.api_version
    return cls(endpoint, credential, **kwargs)


def _chat_turn(client: Any, messages: List[Any], args: argparse.Namespace, out: TextIO) -> str:
    """Send the conversation; stream the reply to ``out`` (or print JSON) and return its text."""
    if args.json or args.no_stream:
        result = client.complete(messages=messages, max_tokens=args.max_tokens)
        text: str = result.choices[0].message.content or ""
        out.write(json.dumps(result.as_dict(), indent=2) if args.json else text)
    else:
        with client.complete(messages=messages, max_tokens=args.max_tokens, stream=True) as stream:
            for update in stream:
                for choice in update.choices:
                    out.write(choice.delta.content or "")
                    out.flush()
            text = stream.get_final_completion().choices[0].message.content or ""
    out.write("\n")
    return text


def _chat(args: argparse.Namespace, out: TextIO) -> None:
    messages: List[Any] = [SystemMessage(args.system)] if args.system else []
    with _client(args, ChatCompletionsClient) as client:
        if args.prompt:
            _chat_turn(client, [*messages, UserMessage(" ".join(args.prompt))], args, out)
            return
        interactive = sys.stdin.isatty()
        while True:  # interactive: one turn per line, with the history, until EOF or "exit"
            if interactive:
                out.write("> ")
                out.flush()
            line = sys.stdin.readline()
            if not line or line.strip() in ("exit", "quit"):
                return
            if line.strip():
                messages.append(UserMessage(line.strip()))
                messages.append(AssistantMessage(_chat_turn(client, messages, args, out)))


def _embed(args: argparse.Namespace, out: TextIO) -> None:
    with _client(args, EmbeddingsClient) as client:
        result = client.embed(input=args.text, dimensions=args.dimensions)
    if args.json:
        out.write(json.dumps(result.as_dict(), indent=2) + "\n")
        return
    for item in result.data:
        vector = item.embedding
        shown = ", ".join(f"{v:.4f}" for v in vector[:4]) if isinstance(vector, list) else vector[:16]
        out.write(f"[{item.index}] {len(vector)} values: {shown}, ...\n")


def _batch(args: argparse.Namespace, out: TextIO) -> int:
    from .batch import _cli  # asyncio, aiohttp and the runner load for this command only

    targets: Dict[str, Optional[_cli.Target]] = {}
    for command in ("chat", "embed"):
        endpoint = _setting(args.endpoint, 0, command)
        if not endpoint:
            targets[command] = None
            continue
        credential = _credential(args, command, is_async=True)
        targets[command] = _cli.Target(endpoint, credential, _setting(args.model, 2, command))
    try:
        return _cli.run(args, targets["chat"], targets["embed"], out)
    except _cli.BatchUsageError as exc:
        raise UsageError(str(exc)) from None


def _info(args: argparse.Namespace, out: TextIO) -> None:
    with _client(args, ChatCompletionsClient) as client:
        info = client.get_model_info()
    if args.json:
        out.write(json.dumps(info.as_dict(), indent=2) + "\n")
    else:
        out.write(f"{info.model_name} ({info['model_type']}) by {info.model_provider_name}\n")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m azure.ai.inference", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    chat = commands.add_parser("chat", help="chat with the model; interactive when no prompt is given")
    chat.add_argument("prompt", nargs="*", help="the prompt (omit for an interactive conversation)")
    chat.add_argument("--system", help="a system message")
    chat.add_argument("--max-tokens", type=int, default=None)
    chat.add_argument("--no-stream", action="store_true", help="wait for the whole reply")
    chat.set_defaults(run=_chat)
    embed = commands.add_parser("embed", help="embed texts")
    embed.add_argument("text", nargs="+")
    embed.add_argument("--dimensions", type=int, default=None)
    embed.set_defaults(run=_embed)
    info = commands.add_parser("info", help="show the model behind the endpoint (/info, or the v1 models list)")
    info.set_defaults(run=_info)
    batch = commands.add_parser("batch", help="run a Batch API file (JSONL) within a quota; rerun to resume")
    from .batch._cli import add_arguments

    add_arguments(batch)
    batch.set_defaults(run=_batch)
    for command in (chat, embed, info, batch):
        command.add_argument("--endpoint", help="the endpoint URL")
        command.add_argument("--key", help="the key (omit for Entra ID)")
        command.add_argument("--model", help="the model name, for endpoints that serve several")
        command.add_argument("--api-version", help='the api-version query parameter ("" leaves it out)')
        command.add_argument("--json", action="store_true", help="print machine-readable JSON")
    return parser


def main(argv: Optional[Sequence[str]] = None, out: TextIO = sys.stdout) -> int:
    """Run the command line; return its exit code."""
    args = _parser().parse_args(argv)
    try:
        code = args.run(args, out)
    except UsageError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 2
    except HttpResponseError as exc:
        sys.stderr.write(f"error: the service answered HTTP {exc.status_code}: {exc.message}\n")
        return 1
    except AzureError as exc:
        sys.stderr.write(f"error: {type(exc).__name__}: {exc.message}\n")
        return 1
    except KeyboardInterrupt:
        return 130
    return code or 0


if __name__ == "__main__":
    sys.exit(main())
