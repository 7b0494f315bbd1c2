"""Embed a local image: ``ImageEmbeddingInput.load`` sends it as a base64 data URL.

Set AZURE_AI_IMAGE_EMBEDDINGS_ENDPOINT and AZURE_AI_IMAGE_EMBEDDINGS_KEY,
then run: python samples/sample_image_embeddings.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, image_embeddings

from azure.ai.inference import ImageEmbeddingsClient
from azure.ai.inference.models import ImageEmbeddingInput


def main() -> None:
    settings = image_embeddings()
    image = ImageEmbeddingInput.load(image_file=DATA_DIR / "sample_image.png", image_format="png")
    with ImageEmbeddingsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        result = client.embed(input=[image])
    vector = result.data[0].embedding
    start = ", ".join(f"{value:.4f}" for value in vector[:3])
    print(f"sample_image.png: length={len(vector)}, [{start}, ...]")
    print(f"model: {result.model}, usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
