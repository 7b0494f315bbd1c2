"""Send a request body given as a dictionary of JSON values.

The dictionary is loaded from data/chat_request.json and sent as it is: the client's defaults and
``model_extras`` do not apply, so anything else the request needs (here the model name) goes into it.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_from_input_dict.py
"""

import json

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import ChatCompletions


def main() -> None:
    settings = chat()
    body = json.loads((DATA_DIR / "chat_request.json").read_text(encoding="utf-8"))
    body["messages"][-1]["content"] = "Which planet is closest to the Sun?"  # a dictionary is easy to adjust
    if settings.model:
        body["model"] = settings.model
    with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        response = client.complete(body)
    assert isinstance(response, ChatCompletions)  # the body does not ask for a stream
    print(response.choices[0].message.content)
    print(f"model: {response.model}, usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
