"""Build the messages from a template string, then ask the model.

The template is mustache: ``{{name}}`` inserts a value (a missing one renders empty), and a line
``system:``, ``user:`` or ``assistant:`` starts a message. Needs ``pip install 'azure-ai-inference[prompts]'``.
Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_from_input_prompt_string.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.prompts import PromptTemplate

TEMPLATE = """
    system:
    You are a librarian who recommends books. Keep it to one title and one sentence.
    The reader enjoys {{genre}} and has already read {{#read}}"{{.}}", {{/read}}and nothing else.

    user:
    {{request}}
    """


def main() -> None:
    settings = chat()
    template = PromptTemplate.from_string(prompt_template=TEMPLATE, model_name=settings.model)
    messages = template.create_messages(
        genre="science fiction",
        read=["Solaris", "The Dispossessed"],
        request="What should I read next?",
    )
    for message in messages:
        print(f"{message['role']}: {message['content']!r}")

    with ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client:
        response = client.complete(messages=messages, model=template.model_name)
    print(f"answer: {response.choices[0].message.content}")


if __name__ == "__main__":
    main()
