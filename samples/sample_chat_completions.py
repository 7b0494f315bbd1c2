"""Ask a chat model one question and print its answer and the tokens it used.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage


def main() -> None:
    settings = chat()
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(
            messages=[
                SystemMessage("You are a helpful assistant. Answer in one short sentence."),
                UserMessage("How many feet are in a mile?"),
            ]
        )
    print(response.choices[0].message.content)
    usage = response.usage
    print(f"model: {response.model}")
    print(f"usage: {usage.prompt_tokens} prompt + {usage.completion_tokens} completion = {usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
