"""Stream an answer from an Azure OpenAI deployment with the async client.

The endpoint names the deployment: ``https://<resource>.openai.azure.com/openai/deployments/<deployment>``.
Needs aiohttp. Set AZURE_OPENAI_CHAT_ENDPOINT and AZURE_OPENAI_CHAT_KEY (optional: AZURE_OPENAI_API_VERSION,
default 2024-06-01), then run: python samples/async_samples/sample_chat_completions_streaming_azure_openai_async.py
"""

import asyncio
import sys
from pathlib import Path

from azure.core.credentials import AzureKeyCredential

from azure.ai.inference.aio import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for sample_env, next to the sync samples
from sample_env import azure_openai_chat


async def main() -> None:
    settings = azure_openai_chat()
    async with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), api_version=settings.api_version
    ) as client:
        stream = await client.complete(
            stream=True,
            messages=[SystemMessage("You are a helpful assistant."), UserMessage("Explain what a rainbow is.")],
        )
        async with stream:
            async for update in stream:
                if update.choices and update.choices[0].delta.content:
                    print(update.choices[0].delta.content, end="", flush=True)
    print()


if __name__ == "__main__":
    asyncio.run(main())
