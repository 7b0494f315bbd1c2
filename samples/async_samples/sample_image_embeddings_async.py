"""Embed a local image with the async client.

Needs aiohttp. Set AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT and AZURE_AI_IMAGE_EMBEDDINGS_KEY,
then run: python samples/async_samples/sample_image_embeddings_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ImageEmbeddingsClient
from azure.ai.inference.models import ImageEmbeddingInput

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import DATA_DIR, image_embeddings


async def main() -> None:
    settings = image_embeddings()
    image = ImageEmbeddingInput.load(image_file=DATA_DIR / "sample_image.png", image_format="png")
    async with ImageEmbeddingsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        result = await client.embed(input=[image])
    vector = result.data[0].embedding
    start = ", ".join(f"{value:.4f}" for value in vector[:3])
    print(f"sample_image.png: length={len(vector)}, [{start}, ...]")
    print(f"model: {result.model}, usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    asyncio.run(main())
