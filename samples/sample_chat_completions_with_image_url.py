"""Ask about an image on the web: a user message made of a text item and an image URL item.

Needs a model that accepts images. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY
(optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), then run: python samples/sample_chat_completions_with_image_url.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import IMAGE_URL, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import (
    ImageContentItem,
    ImageDetailLevel,
    ImageUrl,
    SystemMessage,
    TextContentItem,
    UserMessage,
)


def main() -> None:
    settings = chat()
    question = UserMessage(
        [
            TextContentItem(text="What does this image show?"),
            ImageContentItem(image_url=ImageUrl(url=IMAGE_URL, detail=ImageDetailLevel.LOW)),
        ]
    )
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(messages=[SystemMessage("You describe images briefly."), question])
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
