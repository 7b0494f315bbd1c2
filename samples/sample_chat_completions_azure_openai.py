"""Chat with an Azure OpenAI deployment, which takes its own api-version and an ``api-key`` header.

The endpoint names the deployment: ``https://<resource>.openai.azure.com/openai/deployments/<deployment>``.
The key credential sends the key as ``api-key`` (which Azure OpenAI reads) and as a bearer token.

Set AZURE_OPENAI_CHAT_ENDPOINT and AZURE_OPENAI_CHAT_KEY (optional: AZURE_OPENAI_API_VERSION,
default 2024-06-01), then run: python samples/sample_chat_completions_azure_openai.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import azure_openai_chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage


def main() -> None:
    settings = azure_openai_chat()
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), api_version=settings.api_version
    ) as client:
        response = client.complete(
            messages=[SystemMessage("You are a helpful assistant."), UserMessage("What is a haiku?")]
        )
    print(response.choices[0].message.content)
    print(f"model: {response.model}, usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
