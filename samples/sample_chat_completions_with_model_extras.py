"""Send parameters the Azure AI Model Inference API does not define, for models that accept them.

``model_extras`` keys go to the root of the request body, and the client adds the header
``extra-parameters: pass-through`` so the service hands them to the model instead of rejecting them.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_model_extras.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import UserMessage


def main() -> None:
    settings = chat()
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(
            messages=[UserMessage("Suggest a name for a pet turtle.")],
            max_tokens=40,
            model_extras={"top_k": 40},  # top-k sampling: known to many open models, not part of the API
        )
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
