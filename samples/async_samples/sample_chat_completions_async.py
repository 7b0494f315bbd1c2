"""Ask a chat model one question with the async client, and print its answer and the tokens it used.

Needs aiohttp (``pip install aiohttp``). Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY
(optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), then run: python samples/async_samples/sample_chat_completions_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import chat


async def main() -> None:
    settings = chat()
    async with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = await client.complete(
            messages=[
                SystemMessage("You are a helpful assistant. Answer in one short sentence."),
                UserMessage("What is the boiling point of water at sea level?"),
            ]
        )
    print(response.choices[0].message.content)
    usage = response.usage
    print(f"model: {response.model}")
    print(f"usage: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion = {usage.total_tokens} tokens")


if __name__ == "__main__":
    asyncio.run(main())
