"""Trace chat completions with OpenTelemetry and print the spans on the console.

Each call becomes a span named ``chat <model>`` with the GenAI attributes (the model and settings the call
names, token usage, finish reasons); with content recording on, the messages and answers become span events.
A streaming span ends when the stream does. Needs ``pip install 'azure-ai-inference[opentelemetry]' opentelemetry-sdk``.
Set AZURE_AI_CHAT_ENDPOINT and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME),
then run: python samples/sample_chat_completions_with_tracing.py
"""

import sys

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage
from azure.ai.inference.tracing import AIInferenceInstrumentor

try:
    from opentelemetry import trace
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
except ImportError:
    print(
        "This sample needs OpenTelemetry: pip install 'azure-ai-inference[opentelemetry]' opentelemetry-sdk",
        file=sys.stderr,
    )
    sys.exit(2)


def main() -> None:
    settings = chat()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(ConsoleSpanExporter()))  # each span printed as it ends
    trace.set_tracer_provider(provider)

    # Content recording puts message text in the spans: turn it on only where that is allowed.
    # Without the argument, the variable AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true turns it on.
    instrumentor = AIInferenceInstrumentor()
    instrumentor.instrument(enable_content_recording=True)
    tracer = trace.get_tracer(__name__)
    try:
        # The library's spans become children of the caller's current span.
        with (
            tracer.start_as_current_span("plan_a_trip"),
            ChatCompletionsClient(settings.endpoint, AzureKeyCredential(settings.key)) as client,
        ):
            messages = [SystemMessage("You are a travel guide. Be brief."), UserMessage("Name one sight in Lisbon.")]
            # The span records the model and settings given to the call itself (not the client's defaults).
            model = settings.model
            response = client.complete(messages=messages, max_tokens=100, temperature=0.5, model=model)
            print(f"answer: {response.choices[0].message.content}")

            stream = client.complete(messages=[UserMessage("And one in Porto?")], stream=True, model=model)
            with stream:
                text = "".join(u.choices[0].delta.content or "" for u in stream if u.choices)
            print(f"streamed answer: {text}")
    finally:
        instrumentor.uninstrument()
        provider.shutdown()


if __name__ == "__main__":
    main()
