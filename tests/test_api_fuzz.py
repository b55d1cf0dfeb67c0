"""Whatever a client sends, the API answers 2xx or 4xx, never 500, and a refusal changes nothing."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from register.schemas import LocationInput, ProcessorInput, SafeguardInput, SubProcessorInput
from tests.api_support import create_organisation, create_processor

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**70), 2**70) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30) | st.sampled_from(["FR", "US", "XX", "2026-02-30", "2026-01-01", "b2c", "scc_2021", "🙂\x00"]),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8), children, max_size=3),
    max_leaves=6,
)


def bodies(struct: type) -> st.SearchStrategy[dict]:
    names = list(struct.__struct_fields__) + ["unknown_field"]
    return st.dictionaries(st.sampled_from(names), JSON_VALUES, max_size=6)


# Hypothesis runs every example of a test with the same function-scoped fixture:
# the organisation and processor are made once per test and kept on the client.


def organisation_of(client) -> dict:
    if not hasattr(client, "fuzz_organisation"):
        client.fuzz_organisation = create_organisation(client)
    return client.fuzz_organisation


def processor_of(client) -> dict:
    if not hasattr(client, "fuzz_processor"):
        client.fuzz_processor = create_processor(client, organisation_of(client)["id"])
    return client.fuzz_processor


FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=bodies(ProcessorInput))
def test_processor_creation_never_fails_with_500(client, body):
    url = f"/api/v1/organisations/{organisation_of(client)['id']}/processors"
    before = client.get(url).json()["total"]
    response = client.post(url, json=body)
    assert response.status_code in (201, 400), response.text
    assert client.get(url).json()["total"] == before + (1 if response.status_code == 201 else 0)


@FUZZ
@given(
    kind=st.sampled_from([("locations", LocationInput), ("sub-processors", SubProcessorInput), ("safeguards", SafeguardInput)]),
    data=st.data(),
)
def test_nested_creation_never_fails_with_500(client, kind, data):
    path, struct = kind
    body = data.draw(bodies(struct))
    response = client.post(f"/api/v1/processors/{processor_of(client)['id']}/{path}", json=body)
    assert response.status_code in (201, 400), response.text


NOTICE_VALUES = st.one_of(
    JSON_VALUES,
    st.sampled_from(["2026-11-20", "full_list", "change", "list_page", "accept", "object",
                     "| Subprocessor | Purpose | Location |\n|---|---|---|\n| A Inc. | x | Narnia |\n",
                     "- B Ltd: hosting", "http://10.0.0.1/", "file:///etc/passwd", "bm90IGEgemlw"]),
    st.fixed_dictionaries({"name": st.sampled_from(["a.csv", "a.xlsx", "a.json", "a"]),
                           "content_base64": st.sampled_from(["", "bm90IGEgemlw", "!!", "TmFtZTtQYXlzCkE7RlIK"])}),
)


@FUZZ
@given(body=st.dictionaries(
    st.sampled_from(["received_on", "channel", "kind", "text", "file", "url", "stated_notice_days",
                     "stated_business_days", "unknown_field"]),
    NOTICE_VALUES, max_size=6))
def test_notice_recording_never_fails_with_500(client, body):
    """Sub-processor notices: any body is recorded (201) or refused naming the field (400)."""
    url = f"/api/v1/processors/{processor_of(client)['id']}/notices"
    before = len(client.get(url).json())
    response = client.post(url, json=body)
    assert response.status_code in (201, 400), response.text
    assert len(client.get(url).json()) == before + (1 if response.status_code == 201 else 0)
