"""Answer a set of chat prompts with the batch command line, then print each answer.

The prompts are a Batch API file, data/batch_chat_prompts.jsonl: the same file runs here or through
Azure OpenAI's Batch API. The sample runs

    python -m azure.ai.inference batch data/batch_chat_prompts.jsonl <results.jsonl> --concurrency 4

which appends one result per line to the results file as each answer arrives (a rerun would skip the
prompts already answered), and prints a summary.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME, put in each
body that names no model), then run: python samples/sample_batch_chat.py
"""

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from sample_env import DATA_DIR, chat


def main() -> None:
    chat()  # only checks the variables: the command line reads the same ones
    with tempfile.TemporaryDirectory() as folder:
        results = Path(folder) / "results.jsonl"
        command = [sys.executable, "-m", "azure.ai.inference", "batch"]
        command += [str(DATA_DIR / "batch_chat_prompts.jsonl"), str(results), "--concurrency", "4"]
        done = subprocess.run(command, stdout=subprocess.PIPE, text=True)
        print(done.stdout.strip())
        if done.returncode not in (0, 1):  # 1: some prompt failed, and its result says why
            sys.exit(done.returncode)
        lines = [json.loads(line) for line in results.read_text(encoding="utf-8").splitlines()]
    for result in sorted(lines, key=lambda result: result["custom_id"]):
        if result["error"] is not None:
            print(f"{result['custom_id']}: failed: {result['error']['message']}")
            continue
        answer = result["response"]["body"]["choices"][0]["message"]["content"]
        print(f"{result['custom_id']}: {' '.join(answer.split())}")


if __name__ == "__main__":
    main()
