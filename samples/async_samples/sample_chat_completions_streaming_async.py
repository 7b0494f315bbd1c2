"""Stream the answer with the async client: print each piece of text as the model generates it.

Needs aiohttp. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/async_samples/sample_chat_completions_streaming_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.models import UserMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import chat


async def main() -> None:
    settings = chat()
    async with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        stream = await client.complete(
            stream=True, messages=[UserMessage("List the four seasons of the year.")], max_tokens=100
        )
        updates = 0
        async with stream:  # closes the connection even if the loop stops early
            async for update in stream:
                updates += 1
                if update.choices and update.choices[0].delta.content:
                    print(update.choices[0].delta.content, end="", flush=True)
                if update.usage:
                    print(f"\nusage: {update.usage.total_tokens} tokens", end="")
    print(f"\n({updates} updates received)")


if __name__ == "__main__":
    asyncio.run(main())
