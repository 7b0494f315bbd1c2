"""Set chat settings once on the client; every call uses them unless it passes its own.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_defaults.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import CompletionsFinishReason, UserMessage


def main() -> None:
    settings = chat()
    # These become part of every request the client sends.
    client = ChatCompletionsClient(
        settings.endpoint,
        AzureKeyCredential(settings.key),
        temperature=0.2,
        top_p=0.9,
        max_tokens=60,
        seed=7,
        **settings.model_kwargs(),
    )
    with client:
        response = client.complete(messages=[UserMessage("Name three primary colors.")])
        print(f"with the client's defaults: {response.choices[0].message.content}")
        # A per-call value replaces the client's default for this call only.
        response = client.complete(messages=[UserMessage("Describe the ocean in detail.")], max_tokens=3)
        choice = response.choices[0]
        cut = (
            " (cut off at the token limit)"
            if choice.finish_reason == CompletionsFinishReason.TOKEN_LIMIT_REACHED
            else ""
        )
        print(f"with max_tokens=3 for this call: {choice.message.content}{cut}")
        print(f"usage: {response.usage.completion_tokens} completion tokens")


if __name__ == "__main__":
    main()
