"""Let the async ``load_client`` pick the right client for an endpoint from its /info route, then use it.

Needs aiohttp. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (an embeddings endpoint in them works too),
then run: python samples/async_samples/sample_load_client_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ChatCompletionsClient, EmbeddingsClient, load_client
from azure.ai.inference.models import ImageEmbeddingInput, UserMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import DATA_DIR, chat


async def main() -> None:
    settings = chat()
    client = await load_client(settings.endpoint, AzureKeyCredential(settings.key))
    async with client:
        info = await client.get_model_info()  # already known: load_client read it
        print(f"{type(client).__name__} for {info.model_name} ({info.model_type}, {info.model_provider_name})")
        if isinstance(client, ChatCompletionsClient):
            response = await client.complete(messages=[UserMessage("Tell me a one-line joke.")])
            print(response.choices[0].message.content)
        elif isinstance(client, EmbeddingsClient):
            result = await client.embed(input=["a sentence to embed"])
            print(f"length={len(result.data[0].embedding)}")
        else:  # an ImageEmbeddingsClient
            image = ImageEmbeddingInput.load(image_file=DATA_DIR / "sample_image.png", image_format="png")
            result = await client.embed(input=[image])
            print(f"length={len(result.data[0].embedding)}")


if __name__ == "__main__":
    asyncio.run(main())
