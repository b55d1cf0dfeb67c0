"""Each role against each kind of action: the whole table of allow and deny."""

from __future__ import annotations

import pytest

from tests.access_support import seeded_register

ALLOW, DENY = True, False

# action: (method, path template, body)
ACTIONS = {
    "read organisation": ("GET", "/api/v1/organisations/{o}", None),
    "read processor": ("GET", "/api/v1/processors/{p}", None),
    "list processors": ("GET", "/api/v1/organisations/{o}/processors", None),
    "list processor statuses": ("GET", "/api/v1/organisations/{o}/processors/statuses", None),
    "read gaps": ("GET", "/api/v1/organisations/{o}/gaps", None),
    "read assessment": ("GET", "/api/v1/processors/{p}/assessment", None),
    "export register": ("GET", "/api/v1/organisations/{o}/export", None),
    "read audit trail": ("GET", "/api/v1/organisations/{o}/audit-events", None),
    "check a candidate": ("POST", "/api/v1/organisations/{o}/procurement/check", {"legal_name": "Cand"}),
    "create processor": ("POST", "/api/v1/organisations/{o}/processors", {"legal_name": "New"}),
    "edit processor": ("PATCH", "/api/v1/processors/{p}", {"version": 1, "trade_name": "X"}),
    "add location": ("POST", "/api/v1/processors/{p}/locations", {"country": "FR"}),
    "assess a clause": ("PUT", "/api/v1/processors/{p}/agreement/clauses/art28_3_b", {"status": "present", "version": 1}),
    "delete processor": ("DELETE", "/api/v1/processors/{p}", None),
    "edit organisation": ("PATCH", "/api/v1/organisations/{o}", {"version": 1, "dpo_name": "New DPO"}),
    "delete organisation": ("DELETE", "/api/v1/organisations/{o}", None),
    "submit a procurement request": (
        "POST", "/api/v1/organisations/{o}/procurement/requests", {"candidate": {"legal_name": "Cand"}},
    ),
    "read procurement requests": ("GET", "/api/v1/organisations/{o}/procurement/requests", None),
    "decide a procurement request": (
        "POST", "/api/v1/procurement-requests/{r}/decision",
        {"decision": "rejected", "reasons": "no DPA offered", "version": 1},
    ),
}

#                          admin  dpo    procurement auditor
EXPECTED = {
    "read organisation":       (ALLOW, ALLOW, ALLOW, ALLOW),
    "read processor":          (ALLOW, ALLOW, DENY,  ALLOW),
    "list processors":         (ALLOW, ALLOW, DENY,  ALLOW),
    "list processor statuses": (ALLOW, ALLOW, ALLOW, ALLOW),
    "read gaps":               (ALLOW, ALLOW, DENY,  ALLOW),
    "read assessment":         (ALLOW, ALLOW, DENY,  ALLOW),
    "export register":         (ALLOW, ALLOW, DENY,  ALLOW),
    "read audit trail":        (ALLOW, ALLOW, DENY,  ALLOW),
    "check a candidate":       (ALLOW, ALLOW, ALLOW, DENY),
    "create processor":        (ALLOW, ALLOW, DENY,  DENY),
    "edit processor":          (ALLOW, ALLOW, DENY,  DENY),
    "add location":            (ALLOW, ALLOW, DENY,  DENY),
    "assess a clause":         (ALLOW, ALLOW, DENY,  DENY),
    "delete processor":        (ALLOW, ALLOW, DENY,  DENY),
    "edit organisation":       (ALLOW, DENY,  DENY,  DENY),
    "delete organisation":     (ALLOW, DENY,  DENY,  DENY),
    "submit a procurement request": (ALLOW, ALLOW, ALLOW, DENY),
    "read procurement requests":    (ALLOW, ALLOW, ALLOW, ALLOW),
    "decide a procurement request": (ALLOW, ALLOW, DENY,  DENY),
}
ROLES = ("admin", "dpo", "procurement", "auditor")


def test_the_table_covers_every_action():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("role_index,role", list(enumerate(ROLES)))
def test_role_against_every_action(role_index, role, run, make_user, grant, api_client_for):
    outcomes = {}
    for action, (method, template, body) in ACTIONS.items():
        ids = run(seeded_register())  # fresh data: a delete or edit must not affect the next case
        user = make_user(f"{role}-{len(outcomes)}@example.test")
        grant(user, ids.organisation_id, role)
        client = api_client_for(user)
        url = template.format(o=ids.organisation_id, p=ids.processor_id, r=ids.request_id)
        response = client.request(method, url, json=body) if body is not None else client.request(method, url)
        assert response.status_code in (200, 201, 204, 403), f"{role} {action}: {response.status_code} {response.text}"
        outcomes[action] = response.status_code != 403
    expected = {action: allowed[role_index] for action, allowed in EXPECTED.items()}
    assert outcomes == expected
