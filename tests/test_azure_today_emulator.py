"""The test infrastructure for today's Azure (issue 19), checked with raw requests and aiohttp calls.

Each behaviour of tests/azure_today.py is driven through the ``azure_today`` fixture (tests/azure_tls.py): real
host names, real TLS with hostname verification, a CONNECT proxy from the environment, only 127.0.0.1 connected.
The sources of each behaviour are cited in tests/azure_today.py.
"""

from __future__ import annotations

import json
import ssl
from dataclasses import dataclass
from types import ModuleType
from typing import Any

import aiohttp
import pytest
import requests
import trustme
from azure.core.credentials import AzureKeyCredential
from azure.core.exceptions import ServiceRequestError

from azure.ai.inference.models import UserMessage

from .azure_tls import CERT_HOSTS, AzureWorld, _trust_in_aiohttp
from .azure_today import Deployment
from .emulator import EMULATOR_KEY, Emulator
from .support import collect, resolve

RESOURCE = "https://myres.services.ai.azure.com"
AZURE_HOSTS = ["myres.services.ai.azure.com", "myres.openai.azure.com", "myres.cognitiveservices.azure.com"]
KEY = {"api-key": EMULATOR_KEY}
CHAT = {"model": "gpt-4o-mini", "messages": [{"role": "user", "content": "hello there"}]}
EMBED = {"model": "text-embedding-3-small", "input": ["hello"]}


@dataclass
class Answer:
    status: int
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    def events(self) -> list[Any]:
        """The data of each server-sent event, JSON-decoded except ``[DONE]``."""
        lines = self.body.decode().split("\n")
        data = [line[len("data: ") :] for line in lines if line.startswith("data: ")]
        return [item if item == "[DONE]" else json.loads(item) for item in data]


class Raw:
    """One HTTP call with ``requests`` or ``aiohttp``, each taking proxy and CA from the environment."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    async def __call__(
        self, method: str, url: str, *, headers: dict[str, str] | None = None, body: Any = None, ca: str | None = None
    ) -> Answer:
        headers = KEY if headers is None else headers
        if self.kind == "requests":
            response = requests.request(method, url, headers=headers, json=body, verify=ca or True, timeout=10)
            return Answer(response.status_code, response.content)
        context: Any = ssl.create_default_context(cafile=ca) if ca else True
        async with (
            aiohttp.ClientSession(trust_env=True) as session,
            session.request(method, url, headers=headers, json=body, ssl=context) as response,
        ):
            return Answer(response.status, await response.read())


@pytest.fixture(params=["requests", "aiohttp"])
def raw(request: pytest.FixtureRequest) -> Raw:
    return Raw(request.param)


def assert_azure_error(answer: Answer, status: int, message: str | None = None) -> dict[str, Any]:
    """Azure's error shape: ``{"error": {"code": ..., "message": ...}}``."""
    assert answer.status == status, answer.body
    error = answer.json()["error"]
    assert isinstance(error["message"], str) and "code" in error
    if message is not None:
        assert error["message"] == message
    return error


# --- /models/** and /info are gone on Azure AI Services hosts ---------------------------------------------------


@pytest.mark.parametrize("host", AZURE_HOSTS)
@pytest.mark.parametrize(
    "method, path",
    [
        ("POST", "/models/chat/completions"),
        ("POST", "/models/embeddings"),
        ("POST", "/models/images/embeddings"),
        ("GET", "/models/info"),
        ("GET", "/info"),
        ("GET", "/openai/v1/info"),
        ("GET", "/openai/deployments/gpt-4o-mini/info"),
    ],
)
async def test_the_model_inference_routes_and_info_are_gone(
    azure_today: AzureWorld, raw: Raw, host: str, method: str, path: str
) -> None:
    url = f"https://{host}{path}?api-version=2024-05-01-preview"
    answer = await raw(method, url, body=CHAT if method == "POST" else None)
    assert_azure_error(answer, 404, "Resource not found")
    assert azure_today.urls == [url]


# --- the OpenAI v1 API --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", AZURE_HOSTS)
async def test_v1_chat_answers_with_the_deployments_model_and_azures_filter_results(
    azure_today: AzureWorld, raw: Raw, host: str
) -> None:
    answer = await raw("POST", f"https://{host}/openai/v1/chat/completions", body=CHAT)
    assert answer.status == 200, answer.body
    completion = answer.json()
    assert completion["choices"][0]["message"]["content"] == "Echo: hello there"
    assert completion["model"] == "gpt-4o-mini"
    assert completion["prompt_filter_results"][0]["prompt_index"] == 0
    assert completion["prompt_filter_results"][0]["content_filter_results"]["jailbreak"] == {
        "filtered": False,
        "detected": False,
    }
    assert completion["choices"][0]["content_filter_results"]["hate"] == {"filtered": False, "severity": "safe"}


async def test_v1_answers_with_the_model_behind_a_deployment(azure_today: AzureWorld, raw: Raw) -> None:
    azure_today.settings.deployments["my-chat"] = Deployment("chat", "gpt-4o")
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body={**CHAT, "model": "my-chat"})
    assert answer.json()["model"] == "gpt-4o"


async def test_v1_streams_start_with_the_prompt_filter_chunk(azure_today: AzureWorld, raw: Raw) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body={**CHAT, "stream": True})
    assert answer.status == 200
    events = answer.events()
    first = events[0]
    assert first["choices"] == [] and first["id"] == "" and first["model"] == ""
    assert first["prompt_filter_results"][0]["content_filter_results"]["violence"]["severity"] == "safe"
    assert events[-1] == "[DONE]"
    updates = events[1:-1]
    assert "".join(update["choices"][0]["delta"].get("content", "") for update in updates) == "Echo: hello there"
    assert all("content_filter_results" in update["choices"][0] for update in updates)
    assert all(update["model"] == "gpt-4o-mini" for update in updates)


@pytest.mark.parametrize("version", ["2024-05-01-preview", "2024-10-21", "2025-04-01-preview"])
async def test_v1_refuses_a_dated_api_version(azure_today: AzureWorld, raw: Raw, version: str) -> None:
    url = f"{RESOURCE}/openai/v1/chat/completions?api-version={version}"
    error = assert_azure_error(await raw("POST", url, body=CHAT), 400, "API version not supported")
    assert error["code"] == "BadRequest"


@pytest.mark.parametrize("query", ["", "?api-version=v1", "?api-version=preview"])
async def test_v1_takes_no_version_or_v1_or_preview(azure_today: AzureWorld, raw: Raw, query: str) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/embeddings{query}", body=EMBED)
    assert answer.status == 200, answer.body
    assert len(answer.json()["data"][0]["embedding"]) == 8
    assert azure_today.urls == [f"{RESOURCE}/openai/v1/embeddings{query}"]


@pytest.mark.parametrize("operation, body", [("chat/completions", CHAT), ("embeddings", EMBED)])
async def test_v1_requires_model(azure_today: AzureWorld, raw: Raw, operation: str, body: dict[str, Any]) -> None:
    without = {key: value for key, value in body.items() if key != "model"}
    answer = await raw("POST", f"{RESOURCE}/openai/v1/{operation}", body=without)
    assert answer.status == 400
    assert answer.json()["error"]["param"] == "model"


async def test_v1_an_unknown_deployment_is_not_found(azure_today: AzureWorld, raw: Raw) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body={**CHAT, "model": "nope"})
    assert assert_azure_error(answer, 404)["code"] == "DeploymentNotFound"


async def test_v1_an_operation_the_deployment_does_not_do_is_refused(azure_today: AzureWorld, raw: Raw) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/embeddings", body={**EMBED, "model": "gpt-4o-mini"})
    error = assert_azure_error(answer, 400)
    assert error["code"] == "OperationNotSupported"
    assert "embeddings operation does not work with the specified model, gpt-4o-mini" in error["message"]


async def test_v1_refuses_input_type_and_other_unknown_keys(azure_today: AzureWorld, raw: Raw) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/embeddings", body={**EMBED, "input_type": "text"})
    assert answer.status == 400
    assert answer.json()["error"]["message"] == "Unrecognized request argument supplied: input_type"
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body={**CHAT, "foo": 1, "bar": 2})
    assert answer.json()["error"]["message"] == "Unrecognized request arguments supplied: foo, bar"


async def test_v1_ignores_the_extra_parameters_header(azure_today: AzureWorld, raw: Raw) -> None:
    headers = {**KEY, "extra-parameters": "pass-through"}
    url = f"{RESOURCE}/openai/v1/chat/completions"
    assert (await raw("POST", url, headers=headers, body=CHAT)).status == 200
    answer = await raw("POST", url, headers=headers, body={**CHAT, "safe_mode": True})
    assert answer.json()["error"]["message"] == "Unrecognized request argument supplied: safe_mode"


async def test_v1_embeddings_know_only_float_and_base64(azure_today: AzureWorld, raw: Raw) -> None:
    url = f"{RESOURCE}/openai/v1/embeddings"
    assert (await raw("POST", url, body={**EMBED, "encoding_format": "base64"})).status == 200
    assert (await raw("POST", url, body={**EMBED, "encoding_format": "int8"})).status == 400


# --- authentication -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers", [{"api-key": EMULATOR_KEY}, {"Authorization": f"Bearer {EMULATOR_KEY}"}, {"Authorization": "Bearer t1"}]
)
async def test_v1_takes_a_key_or_a_bearer_token(azure_today: AzureWorld, raw: Raw, headers: dict[str, str]) -> None:
    azure_today.emulator.accepted_tokens.add("t1")
    assert (await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", headers=headers, body=CHAT)).status == 200


@pytest.mark.parametrize("headers", [{}, {"api-key": "wrong"}, {"Authorization": "Bearer wrong"}])
async def test_v1_refuses_a_wrong_or_missing_credential(
    azure_today: AzureWorld, raw: Raw, headers: dict[str, str]
) -> None:
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", headers=headers, body=CHAT)
    assert assert_azure_error(answer, 401)["code"] == "401"


async def test_v1_refuses_both_auth_headers_unless_switched_off(azure_today: AzureWorld, raw: Raw) -> None:
    both = {"api-key": EMULATOR_KEY, "Authorization": f"Bearer {EMULATOR_KEY}"}
    url = f"{RESOURCE}/openai/v1/chat/completions"
    message = "Either API-KEY or Authorization header must be provided but not both"
    assert_azure_error(await raw("POST", url, headers=both, body=CHAT), 400, message)
    azure_today.settings.refuse_both_auth_headers = False
    assert (await raw("POST", url, headers=both, body=CHAT)).status == 200


# --- models ---------------------------------------------------------------------------------------------------------


async def test_v1_models_list_entries_with_capabilities(azure_today: AzureWorld, raw: Raw) -> None:
    azure_today.settings.deployments["reasoner"] = Deployment("chat", "DeepSeek-R1")
    listing = (await raw("GET", f"{RESOURCE}/openai/v1/models")).json()
    assert listing["object"] == "list"
    entries = {entry["id"]: entry for entry in listing["data"]}
    deployed = {"gpt-4o-mini", "text-embedding-3-small", "DeepSeek-R1"}
    assert set(entries) == deployed | {"gpt-4.1", "text-embedding-3-large"}  # models it could deploy are listed too
    chat, embed = entries["gpt-4o-mini"]["capabilities"], entries["text-embedding-3-small"]["capabilities"]
    assert chat["chat_completion"] and not chat["embeddings"]
    assert embed["embeddings"] and not embed["chat_completion"]
    assert set(chat) == {"fine_tune", "inference", "completion", "chat_completion", "embeddings"}
    assert entries["gpt-4o-mini"]["object"] == "model"


async def test_v1_one_model_by_its_id(azure_today: AzureWorld, raw: Raw) -> None:
    entry = (await raw("GET", f"{RESOURCE}/openai/v1/models/text-embedding-3-small")).json()
    assert entry["id"] == "text-embedding-3-small" and entry["capabilities"]["embeddings"] is True


async def test_v1_models_are_keyed_by_model_not_by_deployment_name(azure_today: AzureWorld, raw: Raw) -> None:
    azure_today.settings.deployments = {"my-chat": Deployment("chat", "gpt-4o")}
    assert (await raw("GET", f"{RESOURCE}/openai/v1/models/gpt-4o")).status == 200
    assert_azure_error(await raw("GET", f"{RESOURCE}/openai/v1/models/my-chat"), 404)
    # A model the resource lists is not necessarily deployed:
    assert (await raw("GET", f"{RESOURCE}/openai/v1/models/gpt-4.1")).json()["capabilities"]["chat_completion"]
    answer = await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body={**CHAT, "model": "gpt-4.1"})
    assert assert_azure_error(answer, 404)["code"] == "DeploymentNotFound"


# --- the classic Azure OpenAI route keeps working -----------------------------------------------------------------


async def test_the_classic_deployment_route_still_answers(azure_today: AzureWorld, raw: Raw) -> None:
    both = {"api-key": EMULATOR_KEY, "Authorization": f"Bearer {EMULATOR_KEY}"}  # as 1.0.0b9 sends them
    base = "https://myres.openai.azure.com/openai/deployments"
    answer = await raw("POST", f"{base}/gpt-4o-mini/chat/completions?api-version=2024-10-21", headers=both, body=CHAT)
    assert answer.status == 200 and answer.json()["prompt_filter_results"]
    body = {"input": ["hi"], "input_type": "query"}  # the dated Azure OpenAI specs define input_type
    answer = await raw("POST", f"{base}/text-embedding-3-small/embeddings?api-version=2024-10-21", body=body)
    assert answer.status == 200
    assert azure_today.urls[0] == f"{base}/gpt-4o-mini/chat/completions?api-version=2024-10-21"


# --- other hosts ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("host", ["models.inference.ai.azure.com", "models.github.ai"])
async def test_github_models_is_retired(azure_today: AzureWorld, raw: Raw, host: str) -> None:
    url = f"https://{host}/chat/completions?api-version=2024-05-01-preview"
    message = "GitHub Models is temporarily unavailable as part of a scheduled retirement brownout."
    assert (
        assert_azure_error(await raw("POST", url, body=CHAT), 410, message)["code"]
        == "github_models_retirement_brownout"
    )
    assert (await raw("GET", f"https://{host}/info?api-version=2024-05-01-preview")).status == 410
    azure_today.settings.github_status = 404
    assert (await raw("POST", url, body=CHAT)).status == 404
    assert azure_today.urls[0] == url


@pytest.mark.parametrize("host", ["phi-4-xyz.eastus2.models.ai.azure.com", "myendpoint.eastus2.inference.ml.azure.com"])
async def test_serverless_and_managed_compute_hosts_keep_the_model_inference_api(
    azure_today: AzureWorld, raw: Raw, host: str
) -> None:
    query = "?api-version=2024-05-01-preview"
    answer = await raw("POST", f"https://{host}/chat/completions{query}", body=CHAT)
    assert answer.status == 200 and "prompt_filter_results" not in answer.json()
    assert (await raw("GET", f"https://{host}/info{query}")).json()["model_type"] == "chat_completion"


async def test_a_local_server_lists_models_without_a_type(emulator: Emulator) -> None:
    emulator.local_models = ["qwen2.5-0.5b-instruct"]
    listing = requests.get(f"{emulator.endpoint}/v1/models", timeout=10).json()
    assert listing == {
        "object": "list",
        "data": [{"id": "qwen2.5-0.5b-instruct", "object": "model", "created": 1700000000, "owned_by": "llamacpp"}],
    }
    assert requests.get(f"{emulator.endpoint}/openai/v1/models", timeout=10).json() == listing
    emulator.reset()
    default = requests.get(f"{emulator.endpoint}/v1/models", timeout=10)
    assert default.status_code == 401  # without local_models: the Model Inference API, which wants the key


# --- TLS and the network ------------------------------------------------------------------------------------------


async def test_a_certificate_from_another_ca_is_refused(azure_today: AzureWorld, raw: Raw, tmp_path: Any) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    errors = (requests.exceptions.SSLError, aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)
    with pytest.raises(errors):
        await raw("POST", f"{RESOURCE}/openai/v1/chat/completions", body=CHAT, ca=str(other))
    assert azure_today.requests == []


async def test_a_host_the_certificate_does_not_name_is_refused(azure_today: AzureWorld, raw: Raw) -> None:
    errors = (requests.exceptions.SSLError, aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)
    with pytest.raises(errors):
        await raw("GET", "https://example.org/openai/v1/models")
    assert azure_today.proxy is not None and azure_today.proxy.targets == ["example.org:443"]
    assert azure_today.requests == []
    assert "*.openai.azure.com" in CERT_HOSTS


async def test_only_127_0_0_1_is_ever_connected(azure_today: AzureWorld, raw: Raw) -> None:
    for host in [*AZURE_HOSTS, "models.github.ai", "phi-4-xyz.eastus2.models.ai.azure.com"]:
        await raw("GET", f"https://{host}/openai/v1/models")
    assert azure_today.proxy is not None
    assert azure_today.proxy.targets == [f"{host}:443" for host in AZURE_HOSTS] + [
        "models.github.ai:443",
        "phi-4-xyz.eastus2.models.ai.azure.com:443",
    ]
    assert {address for address, _ in azure_today.proxy.connected} == {"127.0.0.1"}
    assert {request.peer.split(":")[0] for request in azure_today.requests} == {"127.0.0.1"}
    assert azure_today.lookups == []


def test_a_name_is_never_resolved(azure_today: AzureWorld) -> None:
    session = requests.Session()
    session.trust_env = False  # no proxy: the client would have to resolve the name itself
    with pytest.raises(requests.exceptions.ConnectionError):
        session.get(f"{RESOURCE}/openai/v1/models", timeout=10)
    assert azure_today.lookups == ["myres.services.ai.azure.com"]


# --- the package's unchanged clients reach it -----------------------------------------------------------------------


async def test_the_packages_clients_reach_it_with_verification(azure_today: AzureWorld, api: ModuleType) -> None:
    endpoint = "https://myres.openai.azure.com/openai/deployments/gpt-4o-mini"  # the classic route: alive today
    client = api.ChatCompletionsClient(endpoint, AzureKeyCredential(EMULATOR_KEY), api_version="2024-10-21")
    try:
        result = await resolve(client.complete(messages=[UserMessage("hi")]))
        assert result.choices[0].message.content == "Echo: hi"
        updates = await collect(
            await resolve(client.complete(messages=[{"role": "user", "content": "hi"}], stream=True))
        )
        assert "".join(update.choices[0].delta.content or "" for update in updates if update.choices) == "Echo: hi"
    finally:
        await resolve(client.close())
    assert azure_today.urls == [f"{endpoint}/chat/completions?api-version=2024-10-21"] * 2
    assert azure_today.proxy is not None and azure_today.proxy.targets  # through the proxy from the environment


async def test_an_entra_credential_records_its_scopes(azure_today: AzureWorld, api: ModuleType) -> None:
    credential = azure_today.credential(api)
    endpoint = "https://myres.openai.azure.com/openai/deployments/gpt-4o-mini"
    client = api.ChatCompletionsClient(endpoint, credential, api_version="2024-10-21")
    try:
        await resolve(client.complete(messages=[{"role": "user", "content": "hi"}]))
    finally:
        await resolve(client.close())
    assert credential.scopes == [("https://cognitiveservices.azure.com/.default",)]
    assert azure_today.requests[0].headers["Authorization"] == "Bearer entra-token"


async def test_the_packages_clients_verify_the_certificate(
    azure_today: AzureWorld, api: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other))
    monkeypatch.setenv("SSL_CERT_FILE", str(other))
    _trust_in_aiohttp(monkeypatch)  # what aiohttp would trust had the process started with this SSL_CERT_FILE
    endpoint = "https://myres.openai.azure.com/openai/deployments/gpt-4o-mini"
    client = api.ChatCompletionsClient(endpoint, AzureKeyCredential(EMULATOR_KEY), api_version="2024-10-21")
    try:
        with pytest.raises(ServiceRequestError):
            await resolve(client.complete(messages=[UserMessage("hi")]))
    finally:
        await resolve(client.close())
    assert azure_today.requests == []
