"""The OpenAPI document says what the API does (issue 10, "Headers")."""

from __future__ import annotations

import pytest

from register.reference import load_reference


@pytest.fixture
def schema(anonymous_client) -> dict:
    answer = anonymous_client.get("/schema/openapi.json")
    assert answer.status_code == 200
    return answer.json()


def operations(schema: dict):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield path, method, operation


def test_every_api_operation_documents_its_refusals(schema):
    checked = 0
    for path, method, operation in operations(schema):
        responses = operation["responses"]
        assert {"401", "429"} <= set(responses), (method, path)
        if "{organisation_id}" in path or "{processor_id}" in path:
            assert {"403", "404"} <= set(responses), (method, path)
        if method in ("post", "put", "patch"):
            assert {"409", "413"} <= set(responses), (method, path)
        assert responses["429"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
        checked += 1
    assert checked >= 30
    assert schema["components"]["schemas"]["Error"]["required"] == ["status_code", "detail"]


@pytest.mark.parametrize(
    "suffix, media_type",
    [
        (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (".csv", "text/csv"),
    ],
)
def test_downloads_are_documented_as_binary_files(schema, suffix, media_type):
    downloads = [(path, op) for path, method, op in operations(schema) if path.endswith(suffix)]
    assert downloads
    for path, operation in downloads:
        assert operation["responses"]["200"]["content"] == {
            media_type: {"schema": {"type": "string", "format": "binary"}}
        }, path


def test_closed_objects_say_additional_properties_false(schema):
    from register.schemas import OrganisationInput, ProcessorPatch
    from register.web.api.tokens import TokenRequest

    components = schema["components"]["schemas"]
    for struct in (OrganisationInput, ProcessorPatch, TokenRequest):
        assert struct.__struct_config__.forbid_unknown_fields
        assert components[struct.__name__]["additionalProperties"] is False, struct.__name__
    assert "additionalProperties" not in components["Organisation"]  # answers are not closed inputs


def test_countries_are_the_reference_list(schema):
    codes = sorted(load_reference().countries)
    components = schema["components"]["schemas"]
    assert components["OrganisationInput"]["properties"]["country"]["enum"] == codes
    assert components["ProcessorInput"]["properties"]["headquarters_country"]["enum"] == [*codes, None]
    assert components["SubProcessorInput"]["properties"]["countries"]["items"]["enum"] == codes
    assert "FR" in codes and "US" in codes and "XX" not in codes
