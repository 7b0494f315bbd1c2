"""Let ``load_client`` pick the right client for an endpoint from its /info route, then use it.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (an embeddings endpoint in them works too),
then run: python samples/sample_load_client.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, chat

from azure.ai.inference import ChatCompletionsClient, EmbeddingsClient, load_client
from azure.ai.inference.models import ImageEmbeddingInput, UserMessage


def main() -> None:
    settings = chat()
    with load_client(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        info = client.get_model_info()  # already known: load_client read it
        print(f"{type(client).__name__} for {info.model_name} ({info.model_type}, {info.model_provider_name})")
        if isinstance(client, ChatCompletionsClient):
            response = client.complete(messages=[UserMessage("Tell me a one-line joke.")])
            print(response.choices[0].message.content)
        elif isinstance(client, EmbeddingsClient):
            result = client.embed(input=["a sentence to embed"])
            print(f"length={len(result.data[0].embedding)}")
        else:  # an ImageEmbeddingsClient
            image = ImageEmbeddingInput.load(image_file=DATA_DIR / "sample_image.png", image_format="png")
            print(f"length={len(client.embed(input=[image]).data[0].embedding)}")


if __name__ == "__main__":
    main()
