"""Get an answer as JSON whose schema comes from a Pydantic model, and validate it with the model.

Needs the package pydantic (``pip install pydantic``) and a model that supports structured output.
Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_structured_output_pydantic.py
"""

import sys

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import JsonSchemaFormat, UserMessage

try:
    from pydantic import BaseModel, ConfigDict
except ImportError:
    print("This sample needs the package pydantic: pip install pydantic", file=sys.stderr)
    sys.exit(2)


class CityFacts(BaseModel):
    """Facts about a city."""

    model_config = ConfigDict(extra="forbid")  # "additionalProperties": false, as strict mode requires

    city: str
    country: str
    population: int
    area_km2: float


def main() -> None:
    settings = chat()
    response_format = JsonSchemaFormat(name="city_facts", schema=CityFacts.model_json_schema(), strict=True)
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(messages=[UserMessage("Give me facts about Oslo.")], response_format=response_format)
    content = response.choices[0].message.content
    if content is None:  # a refusal, or a reply of tool calls only
        sys.exit("The model sent no content to validate.")
    facts = CityFacts.model_validate_json(content)
    print(repr(facts))
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
