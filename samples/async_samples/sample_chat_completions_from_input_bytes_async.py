"""Send a whole request body read from a JSON file, as it is, with the async client.

Needs aiohttp. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY, then run:
python samples/async_samples/sample_chat_completions_from_input_bytes_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.models import ChatCompletions

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import DATA_DIR, chat


async def main() -> None:
    settings = chat()
    body = (DATA_DIR / "chat_request.json").read_bytes()
    async with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        response = await client.complete(body)
    assert isinstance(response, ChatCompletions)  # the body does not ask for a stream
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    asyncio.run(main())
