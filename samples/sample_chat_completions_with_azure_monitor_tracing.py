"""Send the traces of chat completions to Azure Monitor (Application Insights).

Needs ``pip install 'azure-ai-inference[opentelemetry]' azure-monitor-opentelemetry``.
Set APPLICATIONINSIGHTS_CONNECTION_STRING (from the Application Insights resource), and AZURE_AI_CHAT_ENDPOINT
and AZURE_AI_CHAT_KEY (optional: AZURE_AI_CHAT_DEPLOYMENT_NAME); optionally
AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED=true to record message content.
Then run: python samples/sample_chat_completions_with_azure_monitor_tracing.py
"""

import os
import sys

from azure.core.credentials import AzureKeyCredential
from sample_env import chat

from azure.ai.inference import ChatCompletionsClient
from azure.ai.inference.models import SystemMessage, UserMessage
from azure.ai.inference.tracing import AIInferenceInstrumentor


def main() -> None:
    settings = chat()
    connection_string = os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING")
    if not connection_string:
        print(
            "sample_chat_completions_with_azure_monitor_tracing.py: missing environment variable(s):\n"
            "  APPLICATIONINSIGHTS_CONNECTION_STRING",
            file=sys.stderr,
        )
        sys.exit(2)
    try:
        # azure-monitor-opentelemetry leaves the type of its keyword arguments unknown.
        from azure.monitor.opentelemetry import configure_azure_monitor  # pyright: ignore[reportUnknownVariableType]
        from opentelemetry import trace
    except ImportError:
        print(
            "This sample needs: pip install 'azure-ai-inference[opentelemetry]' azure-monitor-opentelemetry",
            file=sys.stderr,
        )
        sys.exit(2)

    configure_azure_monitor(connection_string=connection_string)  # sets the global tracer provider
    instrumentor = AIInferenceInstrumentor()
    instrumentor.instrument()  # content recording as AZURE_TRACING_GEN_AI_CONTENT_RECORDING_ENABLED says
    try:
        with (
            trace.get_tracer(__name__).start_as_current_span("ask_about_the_weather"),
            ChatCompletionsClient(
                settings.endpoint, AzureKeyCredential(settings.key), **settings.model_kwargs()
            ) as client,
        ):
            response = client.complete(
                messages=[SystemMessage("You are a weather expert."), UserMessage("Why is the sky blue?")]
            )
            print(response.choices[0].message.content)
    finally:
        instrumentor.uninstrument()
    print("Spans are batched: they reach Application Insights within a few minutes.")


if __name__ == "__main__":
    main()
