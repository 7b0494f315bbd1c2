"""Authenticate with Microsoft Entra ID instead of a key.

``DefaultAzureCredential`` (package azure-identity) finds a sign-in: environment variables of a
service principal, a managed identity, or ``az login``. The client asks it for a token for the
endpoint's audience (``credential_scopes=[...]`` chooses another). Tokens are only sent over https.

Set AZURE_AI_CHAT_ENDPOINT (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), sign in, then run:
python samples/sample_chat_completions_with_entra_id_auth.py
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
        response = client.complete(messages=[UserMessage("What is Microsoft Entra ID, in one sentence?")])
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
