"""Hold a conversation: each answer goes back into the history before the next question.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_history.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import AssistantMessage, ChatRequestMessage, SystemMessage, UserMessage

QUESTIONS = [
    "What is the tallest mountain on Earth?",
    "How tall is it, in meters?",
    "Who first reached its summit?",
]


def main() -> None:
    settings = chat()
    history: list[ChatRequestMessage] = [SystemMessage("You are a geography tutor. Keep answers short.")]
    tokens = 0
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        for question in QUESTIONS:
            history.append(UserMessage(question))
            response = client.complete(messages=history)
            answer = response.choices[0].message.content
            history.append(AssistantMessage(answer))
            tokens = response.usage.total_tokens
            print(f"user: {question}\nassistant: {answer}\n")
    print(f"{len(history)} messages in the history; last call used {tokens} tokens")


if __name__ == "__main__":
    main()
