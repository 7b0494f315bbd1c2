"""User code for prompt templates and tracing, as the README and the samples write it.

Type-checked (never run) by scripts/typing.sh; see check_chat.py.
"""

from pathlib import Path
from typing import Any, Dict, List, Optional

from azure.core.credentials import AzureKeyCredential
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from typing_extensions import assert_type

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import ChatCompletions, UserMessage
from azure.ai.inference.prompts import PromptTemplate
from azure.ai.inference.tracing import AIInferenceInstrumentor

ENDPOINT = "https://example.services.ai.azure.com/models"


def prompt_templates(client: ChatCompletionsClient) -> None:
    template = PromptTemplate.from_string(
        """
        system:
        You are a helpful assistant for {{company}}.

        user:
        {{question}}
        """
    )
    assert_type(template, PromptTemplate)
    messages = template.create_messages(company="Contoso", question="What do you sell?")
    assert_type(messages, List[Dict[str, Any]])
    print(client.complete(messages=messages).choices[0].message.content)
    with_data = template.create_messages({"company": "Contoso", "question": "Opening hours?"})
    client.complete(messages=with_data, temperature=0.1)

    prompty = PromptTemplate.from_prompty(Path(__file__).parent / "sample_chat_completions.prompty")
    assert_type(prompty.model_name, Optional[str])
    assert_type(prompty.parameters.get("temperature"), Optional[float])
    assert_type(prompty.parameters.get("max_tokens"), Optional[int])
    history = [{"role": "user", "content": "Is breakfast included?"}]
    rendered = prompty.create_messages(first_name="Ada", chat_history=history, question="On the terrace?")
    response = client.complete(messages=rendered, model=prompty.model_name, **prompty.parameters)
    assert_type(response, ChatCompletions)
    for message in rendered:
        print(f"{message['role']}: {message['content']!r}")


def tracing() -> None:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))
    trace.set_tracer_provider(provider)
    instrumentor = AIInferenceInstrumentor()
    instrumentor.instrument(enable_content_recording=True)
    assert_type(instrumentor.is_instrumented(), bool)
    assert_type(instrumentor.is_content_recording_enabled(), bool)
    tracer = trace.get_tracer(__name__)
    with tracer.start_as_current_span("weather"), ChatCompletionsClient(ENDPOINT, AzureKeyCredential("k")) as client:
        client.complete(messages=[UserMessage("Weather in Paris?")])
    instrumentor.uninstrument()
