"""Embed a dataset on Ray Data: one async client per worker, one quota shared by all of them.

``ray.data.read_text`` reads the Batch API file data/batch_embeddings_corpus.jsonl (one line per topic, a few
passages each); ``map_batches(BatchInference, ...)`` runs its lines on two workers, each holding one async
``EmbeddingsClient``; ``shared_limiter`` is one Ray actor that paces every worker's calls to the deployment's
requests-per-minute quota. On a cluster, the same code runs after ``ray.init(address="auto")``.

pip install "azure-ai-inference[ray]"; set AZURE_AI_EMBEDDINGS_ENDPOINT and AZURE_AI_EMBEDDINGS_KEY (optional:
AZURE_AI_EMBEDDINGS_DEPLOYMENT_NAME), then run: python samples/sample_batch_ray.py
"""

import json
import sys
from typing import Any, Dict

from sample_env import DATA_DIR, embeddings

QUOTA_RPM = 600


def main() -> None:
    settings = embeddings()
    try:
        import ray

        from azure.ai.inference.batch.ray import BatchInference, shared_limiter
    except ImportError:
        print('sample_batch_ray.py needs Ray Data: pip install "azure-ai-inference[ray]"', file=sys.stderr)
        sys.exit(2)
    ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False)
    try:
        limiter = shared_limiter(rpm=QUOTA_RPM)
        dataset = ray.data.read_text(str(DATA_DIR / "batch_embeddings_corpus.jsonl"))
        options: Dict[str, Any] = {"endpoint": settings.endpoint, "key": settings.key, "kind": "embeddings"}
        options.update(limiter=limiter, model=settings.model, max_embedding_inputs=2)
        # Waiting on the network takes little CPU: a quarter of one per worker leaves room for reading the file.
        workers = ray.data.ActorPoolStrategy(size=2)
        results = dataset.map_batches(
            BatchInference, fn_constructor_kwargs=options, compute=workers, batch_size=2, num_cpus=0.25
        )
        rows = sorted(results.take_all(), key=lambda row: row["custom_id"])
    finally:
        ray.shutdown()
    for row in rows:
        if row["error"]:
            print(f"{row['custom_id']}: failed: {row['error']}")
            continue
        data = json.loads(row["result"])["response"]["body"]["data"]
        print(f"{row['custom_id']}: {len(data)} vectors of length {len(data[0]['embedding'])}")
    print(f"{len(rows)} lines embedded on 2 Ray workers within a shared {QUOTA_RPM}-RPM quota")


if __name__ == "__main__":
    main()
