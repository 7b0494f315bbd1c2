"""Ask the endpoint which model it serves; the answer is cached by the client.

Managed Compute and serverless endpoints answer from their /info route. Azure's OpenAI v1 endpoints
(https://<resource>.services.ai.azure.com/openai/v1, and the /models endpoints migrated there) answer from
GET /openai/v1/models/<deployment>, so set AZURE_AI_CHAT_DEPLOYMENT_NAME too; a local server (llama.cpp, vLLM,
Ollama: http://127.0.0.1:<port>/v1) from GET /v1/models, which names the model but not its type.

Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY, then run: python samples/sample_get_model_info.py
"""

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient


def main() -> None:
    settings = chat()
    credential = AzureKeyCredential(settings.key)
    with ChatCompletionsClient(settings.endpoint, credential, **settings.model_kwargs()) as client:
        info = client.get_model_info()
        print(f"model name: {info.model_name}")
        print(f"model type: {info.model_type or '(not given by this endpoint)'}")
        print(f"model provider: {info.model_provider_name}")
        print(f"client: {client}")  # includes the cached model information


if __name__ == "__main__":
    main()
