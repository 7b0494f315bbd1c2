"""Ask about an image on the web, with the request body written as a dictionary of JSON values.

Needs a model that accepts images. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY
(optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), then run:
python samples/sample_chat_completions_from_input_dict_with_image_url.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import IMAGE_URL, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import ChatCompletions


def main() -> None:
    settings = chat()
    body = {
        "messages": [
            {"role": "system", "content": "You describe images briefly."},
            {
                "role": "user",
                "content": [
                    {"type": "text", "text": "What does this image show?"},
                    {"type": "image_url", "image_url": {"url": IMAGE_URL, "detail": "low"}},
                ],
            },
        ],
        "max_tokens": 100,
        **settings.model_kwargs(),
    }
    with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        response = client.complete(body)
    assert isinstance(response, ChatCompletions)  # the body does not ask for a stream
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
