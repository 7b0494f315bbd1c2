"""Embed a few sentences and print the start of each vector.

Set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY (optional: AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME),
then run: python samples/sample_embeddings.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import embeddings

from azure.ai.inference import EmbeddingsClient

SENTENCES = ["The quick brown fox", "jumps over", "the lazy dog"]


def main() -> None:
    settings = embeddings()
    with EmbeddingsClient(settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()) as client:
        result = client.embed(input=SENTENCES)
    for item in result.data:
        start = ", ".join(f"{value:.4f}" for value in item.embedding[:3])
        print(f"{SENTENCES[item.index]!r}: length={len(item.embedding)}, [{start}, ...]")
    print(f"model: {result.model}, usage: {result.usage.prompt_tokens} prompt tokens")


if __name__ == "__main__":
    main()
