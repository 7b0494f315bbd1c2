"""Ask about a local audio file: ``InputAudio.load`` sends the file's bytes base64-encoded.

Needs a model that accepts audio. Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY
(optional: AZURE_AI_CHAT_DEPLOYMENT_NAME), then run: python samples/sample_chat_completions_with_audio_data.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import DATA_DIR, chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import AudioContentFormat, AudioContentItem, InputAudio, TextContentItem, UserMessage


def main() -> None:
    settings = chat()
    audio = InputAudio.load(audio_file=DATA_DIR / "sample_audio.wav", audio_format=AudioContentFormat.WAV)
    print(f"audio sent as {len(audio.data)} base64 characters")
    question = UserMessage(
        [TextContentItem(text="What do you hear in this recording?"), AudioContentItem(input_audio=audio)]
    )
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(messages=[question])
    print(response.choices[0].message.content)
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
