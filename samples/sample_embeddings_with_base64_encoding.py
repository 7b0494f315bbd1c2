"""Receive embeddings as base64 strings (less to transfer than JSON numbers) and decode them.

Each string holds the vector's float32 values, little-endian.

Set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY (optional: AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME),
then run: python samples/sample_embeddings_with_base64_encoding.py
"""

import base64
import struct
import sys

from azure.core.credentials import AzureKeyCredential
from sample_env import embeddings

from azure.ai.inference import EmbeddingsClient
from azure.ai.inference.models import EmbeddingEncodingFormat

SENTENCES = ["first phrase", "second phrase"]


def main() -> None:
    settings = embeddings()
    with EmbeddingsClient(settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()) as client:
        result = client.embed(input=SENTENCES, encoding_format=EmbeddingEncodingFormat.BASE64)
    for item in result.data:
        if not isinstance(item.embedding, str):
            sys.exit("The service sent floats, not base64: it ignored encoding_format.")
        raw = base64.b64decode(item.embedding)
        vector = struct.unpack(f"<{len(raw) // 4}f", raw)
        start = ", ".join(f"{value:.4f}" for value in vector[:3])
        print(
            f"{SENTENCES[item.index]!r}: {len(item.embedding)} base64 characters, length={len(vector)}, [{start}, ...]"
        )
    print(f"usage: {result.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
