"""Set image embeddings settings once on the client and override one per call; embed an image with a caption.

``dimensions`` only works with models that can shorten their vectors.

Set AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT and AZURE_AI_IMAGE_EMBEDDINGS_KEY,
then run: python samples/sample_image_embeddings_with_defaults.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, image_embeddings

from azure.ai.inference import ImageEmbeddingsClient
from azure.ai.inference.models import EmbeddingEncodingFormat, EmbeddingInputType, ImageEmbeddingInput


def main() -> None:
    settings = image_embeddings()
    image = ImageEmbeddingInput.load(
        image_file=DATA_DIR / "sample_image.png", image_format="png", text="A sunny sky over a green field"
    )
    with ImageEmbeddingsClient(
        settings.endpoint,
        AzureKeyCredential(settings.key),
        dimensions=16,
        encoding_format=EmbeddingEncodingFormat.FLOAT,
        input_type=EmbeddingInputType.DOCUMENT,
    ) as client:
        result = client.embed(input=[image])
        print(f"with the client's defaults: length={len(result.data[0].embedding)}")
        result = client.embed(input=[image], dimensions=4)
        print(f"with dimensions=4 for this call: length={len(result.data[0].embedding)}")
    print(f"usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
