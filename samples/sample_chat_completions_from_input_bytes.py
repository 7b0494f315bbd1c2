"""Send a whole request body read from a JSON file, as it is.

The body (data/chat_request.json) is sent byte for byte: the client adds nothing to it.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY, then run:
python samples/sample_chat_completions_from_input_bytes.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import ChatCompletions


def main() -> None:
    settings = chat()
    client = ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key))
    with client, open(DATA_DIR / "chat_request.json", "rb") as body:
        response = client.complete(body)  # a binary file, or bytes
    assert isinstance(response, ChatCompletions)  # the body does not ask for a stream
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
