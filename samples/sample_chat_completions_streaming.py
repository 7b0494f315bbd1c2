"""Stream the answer: print each piece of text as the model generates it.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_streaming.py
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
        stream = client.complete(
            stream=True,
            messages=[
                SystemMessage("You are a helpful assistant."),
                UserMessage("Give me three tips for writing clear code."),
            ],
            max_tokens=200,
        )
        updates = 0
        with stream:  # closes the connection even if the loop stops early
            for update in stream:
                updates += 1
                if update.choices and update.choices[0].delta.content:
                    print(update.choices[0].delta.content, end="", flush=True)
                if update.usage:
                    print(f"\nusage: {update.usage.total_tokens} tokens", end="")
    print(f"\n({updates} updates received)")


if __name__ == "__main__":
    main()
