"""Build the messages from a prompty file (sample_chat_completions.prompty), then ask the model.

A prompty file holds YAML front matter (name, model configuration and parameters, sample values)
and a mustache template whose ``system:`` / ``user:`` / ``assistant:`` lines start messages.
Needs ``pip install 'azure-ai-inference[prompts]'``.
Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME, else the
prompty file's azure_deployment is sent as the model), then run: python samples/sample_chat_completions_from_prompty.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.prompts import PromptTemplate


def main() -> None:
    settings = chat()
    # A relative path is found next to this file, wherever the sample is run from.
    template = PromptTemplate.from_prompty("sample_chat_completions.prompty")
    print(template)  # name, model and parameters; never the configuration's key

    history = [
        {"role": "user", "content": "Is breakfast included?"},
        {"role": "assistant", "content": "Yes, from 7 to 10 in the garden room."},
    ]
    messages = template.create_messages(
        first_name="Ada", last_name="Lovelace", chat_history=history, question="Can I have it on the terrace?"
    )
    for message in messages:
        print(f"{message['role']}: {message['content']!r}")

    with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        response = client.complete(
            messages=messages,
            model=settings.model or template.model_name,
            **template.parameters,  # temperature and max_tokens, from the prompty file
        )
    print(f"answer: {response.choices[0].message.content}")


if __name__ == "__main__":
    main()
