"""Property-based fuzzing of /openapi.json with schemathesis (bounded examples): no 500s, and every
response matches the schema (status codes, content types, bodies). Media links never leave the machine:
downloads go through a transport that answers 404, and name lookups fail at once."""

from __future__ import annotations

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from studio.api import create_key
from studio.api.app import create_app
from studio.preferences import load_settings
from studio.services import open_store
from tests.support.people import owner

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def fuzzed(data_dir, monkeypatch):
    import socket

    from studio import netguard

    def no_dns(*args, **kwargs):  # generated media links must not even reach a name server
        raise socket.gaierror("no DNS in tests")

    monkeypatch.setattr(netguard.socket, "getaddrinfo", no_dns)
    cfg = load_settings(api_rate_limit=100_000)
    store = open_store(cfg.db_path)
    key = create_key(store, "fuzz", actor=owner())["key"]
    store.close()
    offline = httpx.Client(transport=httpx.MockTransport(lambda request: httpx.Response(404)))
    app = create_app(cfg, media_http=offline, webhook_http=offline, start_processor=False)
    schema = schemathesis.openapi.from_asgi("/openapi.json", app, headers={"Authorization": f"Bearer {key}"})
    return schema, key


def test_every_operation_conforms_to_the_openapi_schema(fuzzed):
    schema, key = fuzzed
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {op.path for op in operations} >= {"/api/posts", "/api/profiles", "/api/webhooks"}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
        def fuzz(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {key}"}, checks=CHECKS)

        fuzz()
