"""Stream an answer, authenticating with Microsoft Entra ID instead of a key.

``DefaultAzureCredential`` (package azure-identity) finds a sign-in: environment variables of a
service principal, a managed identity, or ``az login``. Tokens are only sent over https.

Set AZURE_AI_CHAT_ENDPOINT (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), sign in, then run:
python samples/sample_chat_completions_streaming_with_entra_id_auth.py
"""

from azure.identity import DefaultAzureCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import UserMessage


def main() -> None:
    settings = chat(key=False)
    credential = DefaultAzureCredential()
    client = ChatCompletionsClient(settings.endpoint, credential, **settings.model_kwargs())
    with credential, client:
        stream = client.complete(stream=True, messages=[UserMessage("Write a haiku about the sea.")])
        for update in stream:  # the stream closes its connection when the loop ends
            if update.choices and update.choices[0].delta.content:
                print(update.choices[0].delta.content, end="", flush=True)
    print()


if __name__ == "__main__":
    main()
