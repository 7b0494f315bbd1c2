"""Get an answer as JSON that follows a schema, and parse it.

Needs a model that supports structured output (``response_format`` of type ``json_schema``).
Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_structured_output.py
"""

import json
import sys

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import JsonSchemaFormat, SystemMessage, UserMessage

RECIPE_SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "servings": {"type": "integer"},
        "ingredients": {"type": "array", "items": {"type": "string"}},
        "minutes": {"type": "number"},
    },
    "required": ["name", "servings", "ingredients", "minutes"],
    "additionalProperties": False,
}


def main() -> None:
    settings = chat()
    response_format = JsonSchemaFormat(
        name="recipe",
        schema=RECIPE_SCHEMA,
        description="A recipe with its ingredients and preparation time.",
        strict=True,
    )
    with ChatCompletionsClient(
        settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
    ) as client:
        response = client.complete(
            messages=[
                SystemMessage("You are a cook who answers with recipes."),
                UserMessage("A simple pancake recipe, please."),
            ],
            response_format=response_format,
        )
    content = response.choices[0].message.content
    if content is None:  # a refusal, or a reply of tool calls only
        sys.exit("The model sent no recipe.")
    recipe = json.loads(content)
    print(json.dumps(recipe, indent=2))
    print(f"recipe {recipe['name']!r}: {len(recipe['ingredients'])} ingredients, {recipe['minutes']} minutes")
    print(f"usage: {response.usage.total_tokens} tokens")


if __name__ == "__main__":
    main()
