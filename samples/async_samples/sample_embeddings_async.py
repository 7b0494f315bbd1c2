"""Embed a few sentences with the async client and print the start of each vector.

Needs aiohttp. Set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY
(optional: AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME), then run: python samples/async_samples/sample_embeddings_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import EmbeddingsClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import embeddings

SENTENCES = ["first phrase", "second phrase", "third phrase"]


async def main() -> None:
    settings = embeddings()
    async with EmbeddingsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        result = await client.embed(input=SENTENCES)
    for item in result.data:
        start = ", ".join(f"{value:.4f}" for value in item.embedding[:3])
        print(f"{SENTENCES[item.index]!r}: length={len(item.embedding)}, [{start}, ...]")
    print(f"model: {result.model}, usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    asyncio.run(main())
