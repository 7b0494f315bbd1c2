"""Ask about a local image: ``ImageUrl.load`` sends the file's bytes as a base64 data URL.

Needs a model that accepts images. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY
(optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), then run: python samples/sample_chat_completions_with_image_data.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import ImageContentItem, ImageUrl, TextContentItem, UserMessage


def main() -> None:
    settings = chat()
    image = ImageUrl.load(image_file=DATA_DIR / "sample_image.png", image_format="png")
    print(f"image sent as a data URL of {len(image.url)} characters: {image.url[:40]}...")
    question = UserMessage(
        [TextContentItem(text="Describe this picture in one sentence."), ImageContentItem(image_url=image)]
    )
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(messages=[question])
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
