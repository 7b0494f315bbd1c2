"""Embed text with an Azure OpenAI embeddings deployment.

The endpoint names the deployment: ``https://<resource>.openai.azure.com/openai/deployments/<deployment>``.

Set AZURE_OPENAI_EMBEDDINGS_ENDPOINT and AZURE_OPENAI_EMBEDDINGS_KEY (optional: AZURE_OPENAI_API_VERSION,
default 2024-06-01), then run: python samples/sample_embeddings_azure_openai.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import azure_openai_embeddings

from azure.ai.inference import EmbeddingsClient

SENTENCES = ["first phrase", "second phrase", "third phrase"]


def main() -> None:
    settings = azure_openai_embeddings()
    with EmbeddingsClient(
        settings.endpoint, AzureKeyCredential(settings.key), api_version=settings.api_version
    ) as client:
        result = client.embed(input=SENTENCES)
    for item in result.data:
        start = ", ".join(f"{value:.4f}" for value in item.embedding[:3])
        print(f"{SENTENCES[item.index]!r}: length={len(item.embedding)}, [{start}, ...]")
    print(f"model: {result.model}, usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
