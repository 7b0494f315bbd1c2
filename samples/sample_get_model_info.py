"""Ask the endpoint which model it serves (its /info route); the answer is cached by the client.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY, then run: python samples/sample_get_model_info.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient


def main() -> None:
    settings = chat()
    with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        info = client.get_model_info()
        print(f"model name: {info.model_name}")
        print(f"model type: {info.model_type}")
        print(f"model provider: {info.model_provider_name}")
        print(f"client: {client}")  # includes the cached model information


if __name__ == "__main__":
    main()
