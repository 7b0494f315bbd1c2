"""Set embeddings settings once on the client, override one per call, and rank documents for a query.

Documents are embedded with the client's default ``input_type=DOCUMENT``, the query with
``input_type=QUERY`` for that call; models that distinguish the two retrieve better that way.

Set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY (optional: AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME),
then run: python samples/sample_embeddings_with_defaults.py
"""

import math

from azure.core.credentials import AzureKeyCredential
from sample_env import embeddings

from azure.ai.inference import EmbeddingsClient
from azure.ai.inference.models import EmbeddingInputType, EmbeddingItem

DOCUMENTS = [
    "Tomatoes grow best in full sun.",
    "The stock market closed higher today.",
    "Water your houseplants once a week.",
]
QUERY = "How much light do tomato plants need?"


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


def floats(item: EmbeddingItem) -> list[float]:
    """The vector of an item: floats, unless base64 was asked for (``encoding_format``)."""
    if isinstance(item.embedding, str):
        raise TypeError("expected a list of floats, got base64")
    return item.embedding


def main() -> None:
    settings = embeddings()
    with EmbeddingsClient(
        settings.endpoint,
        AzureKeyCredential(settings.key),
        input_type=EmbeddingInputType.DOCUMENT,
        **settings.model_kwargs(),
    ) as client:
        documents = client.embed(input=DOCUMENTS)
        query = client.embed(input=[QUERY], input_type=EmbeddingInputType.QUERY)
    query_vector = floats(query.data[0])
    print(f"query {QUERY!r}: length={len(query_vector)}")
    ranked = sorted(documents.data, key=lambda item: cosine(query_vector, floats(item)), reverse=True)
    for item in ranked:
        print(f"  {cosine(query_vector, floats(item)):+.3f}  {DOCUMENTS[item.index]}")
    print(f"most similar: {DOCUMENTS[ranked[0].index]}")


if __name__ == "__main__":
    main()
