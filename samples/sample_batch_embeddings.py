"""Embed a small corpus with the batch command line, then find the passage closest to the first one.

The corpus is a Batch API file, data/batch_embeddings_corpus.jsonl: one line per topic, each embedding a
few passages. The sample runs

    python -m azure.ai.inference batch data/batch_embeddings_corpus.jsonl <results.jsonl> --max-embedding-inputs 2

so that a line with more than two passages is sent in chunks of two; its vectors come back in the
order of its passages all the same.

Set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY (optional: AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME),
then run: python samples/sample_batch_embeddings.py
"""

import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, Dict, List

from sample_env import DATA_DIR, embeddings

CORPUS = DATA_DIR / "batch_embeddings_corpus.jsonl"


def cosine(a: List[float], b: List[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)) or 1.0)


def main() -> None:
    embeddings()  # only checks the variables: the command line reads the same ones
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.jsonl"
        command = [sys.executable, "-m", "azure.ai.inference", "batch", str(CORPUS), str(results)]
        done = subprocess.run([*command, "--max-embedding-inputs", "2"], stdout=subprocess.PIPE, text=True)
        print(done.stdout.strip())
        if done.returncode != 0:
            sys.exit(done.returncode)
        answers: Dict[str, List[Dict[str, Any]]] = {}
        for line in results.read_text(encoding="utf-8").splitlines():
            result = json.loads(line)
            answers[result["custom_id"]] = result["response"]["body"]["data"]
    passages: List[str] = []
    vectors: List[List[float]] = []
    for line in CORPUS.read_text(encoding="utf-8").splitlines():
        request = json.loads(line)
        data = sorted(answers[request["custom_id"]], key=lambda item: int(item["index"]))
        print(f"{request['custom_id']}: {len(data)} vectors of length {len(data[0]['embedding'])}")
        passages += request["body"]["input"]
        vectors += [item["embedding"] for item in data]
    scores = [cosine(vectors[0], vector) for vector in vectors[1:]]
    best = max(range(len(scores)), key=scores.__getitem__)
    print(f"closest to {passages[0]!r}: {passages[best + 1]!r} (cosine {scores[best]:.3f})")


if __name__ == "__main__":
    main()
