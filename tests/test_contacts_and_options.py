"""Addresses and contact persons (organisations, processors, sub-processors)
and the agreement's (EU) 2021/915 options and Annex III assistance measures:
through the API, the page forms, and the JSON export/import."""

from __future__ import annotations

import html
import json

import pytest

from register.demo import demo_document
from register.store import reads
from register.store.portability import export_organisation, import_document, import_organisation
from register.web import forms
from tests.api_support import create_organisation, create_processor, error_keys
from tests.test_pages_forms import posted
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

CONTACT = {
    "address": "8 avenue des Données\n69003 Lyon\nFrance",
    "contact_name": "Léa Dupont",
    "contact_position": "Privacy officer",
    "contact_email": "lea.dupont@vendor.example",
}
OPTIONS = {
    "docking_clause": True,
    "assistance_measures": "Forwards requests within 2 business days.",
    "breach_assistance_measures": "24/7 incident contact; updates every 24 hours.",
}


# --------------------------------------------------------------------------
# API


def test_api_records_contacts_on_every_party_and_the_options_on_the_agreement(client):
    organisation = create_organisation(client)
    updated = client.patch(
        f"/api/v1/organisations/{organisation['id']}", json={**CONTACT, "version": organisation["version"]}
    )
    assert updated.status_code == 200, updated.text
    assert {k: updated.json()[k] for k in CONTACT} == CONTACT
    processor = create_processor(client, organisation["id"], **CONTACT)
    assert {k: processor[k] for k in CONTACT} == CONTACT
    sub = client.post(f"/api/v1/processors/{processor['id']}/sub-processors", json={"name": "Sub Ltd", **CONTACT})
    assert sub.status_code == 201, sub.text
    agreement = client.post(f"/api/v1/processors/{processor['id']}/agreement", json=OPTIONS)
    assert agreement.status_code == 201, agreement.text
    stored = client.get(f"/api/v1/processors/{processor['id']}").json()
    assert {k: stored["sub_processors"][0][k] for k in CONTACT} == CONTACT
    assert {k: stored["agreement"][k] for k in OPTIONS} == OPTIONS


@pytest.mark.parametrize("email", ["not an e-mail", "a@b", "a b@c.fr", "@example.fr", "x" * 250 + "@a.fr"])
@pytest.mark.parametrize("where", ["processor", "sub-processor", "organisation", "dpo"])
def test_api_refuses_a_bad_email_naming_the_field_and_writes_nothing(client, where, email):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    if where == "processor":
        response = client.post(
            f"/api/v1/organisations/{organisation['id']}/processors", json={"legal_name": "V", "contact_email": email}
        )
        field = "contact_email"
    elif where == "sub-processor":
        response = client.post(
            f"/api/v1/processors/{processor['id']}/sub-processors", json={"name": "S", "contact_email": email}
        )
        field = "contact_email"
    else:
        field = "contact_email" if where == "organisation" else "dpo_email"
        response = client.patch(f"/api/v1/organisations/{organisation['id']}", json={field: email, "version": 1})
    assert response.status_code == 400, response.text
    assert error_keys(response) == [field]
    assert client.get(f"/api/v1/organisations/{organisation['id']}/processors").json()["total"] == 1
    assert client.get(f"/api/v1/processors/{processor['id']}").json()["sub_processors"] == []
    assert client.get(f"/api/v1/organisations/{organisation['id']}").json()["version"] == 1


def test_api_refuses_a_bad_option_naming_the_field(client):
    organisation = create_organisation(client)
    processor = create_processor(client, organisation["id"])
    response = client.post(f"/api/v1/processors/{processor['id']}/agreement", json={"docking_clause": "maybe"})
    assert response.status_code == 400 and error_keys(response) == ["docking_clause"]
    response = client.post(f"/api/v1/processors/{processor['id']}/agreement", json={"assistance_measures": "x" * 20_001})
    assert response.status_code == 400 and error_keys(response) == ["assistance_measures"]
    assert client.get(f"/api/v1/processors/{processor['id']}").json()["agreement"] is None


def test_openapi_documents_the_new_fields(client):
    schema = client.get("/schema/openapi.json").json()["components"]["schemas"]
    processor = next(v for k, v in schema.items() if k.endswith("ProcessorInput"))["properties"]
    assert {"address", "contact_name", "contact_position", "contact_email"} <= set(processor)
    assert "pattern" in processor["contact_email"]
    agreement = next(v for k, v in schema.items() if k.endswith("AgreementInput"))["properties"]
    assert {"docking_clause", "assistance_measures", "breach_assistance_measures"} <= set(agreement)


# --------------------------------------------------------------------------
# Forms


def test_forms_read_contacts_and_options():
    values, state = forms.PROCESSOR.read(posted(legal_name="V", **CONTACT), "fr")
    assert state.errors == {} and {k: values[k] for k in CONTACT} == CONTACT
    values, state = forms.AGREEMENT.read(
        posted(docking_clause="no", assistance_measures=OPTIONS["assistance_measures"]), "en"
    )
    assert state.errors == {} and values["docking_clause"] is False
    assert values["assistance_measures"] == OPTIONS["assistance_measures"]
    values, _ = forms.AGREEMENT.read(posted(docking_clause=""), "en")
    assert values["docking_clause"] is None  # not decided


@pytest.mark.parametrize(("language", "message"), [("fr", "Saisissez une adresse e-mail."), ("en", "Enter an e-mail address.")])
def test_a_bad_email_is_reported_next_to_its_field(language, message):
    for form, required in ((forms.PROCESSOR, {"legal_name": "V"}), (forms.SUB_PROCESSOR, {"name": "S"}),
                           (forms.ORGANISATION, {"name": "O", "country": "FR"})):
        values, state = form.read(posted(**required, contact_email="no-at-sign"), language)
        assert values is None and state.errors == {"contact_email": message}
        assert state.values["contact_email"] == "no-at-sign"  # shown again as typed


def test_processor_and_sub_processor_pages_save_contacts(signed_in, run):
    dpo = signed_in("dpo")
    page = dpo.processor
    form = dpo.browser.get(f"{page}/edit").text
    assert 'name="contact_email"' in form and 'type="email"' in form and 'name="address"' in form
    processor = run(reads.load_processor(dpo.ids.processor_id))
    data = {**forms.values_of(processor, forms.PROCESSOR.fields), **CONTACT, "version": str(processor.version)}
    saved = post_form(dpo.browser, f"{page}/edit", page, data, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    stored = run(reads.load_processor(dpo.ids.processor_id))
    assert {k: getattr(stored, k) for k in CONTACT} == CONTACT
    shown = dpo.browser.get(page).text
    assert "Léa Dupont, Privacy officer, lea.dupont@vendor.example" in shown and "69003 Lyon" in shown
    added = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                      {"name": "Sub Ltd", "flowdown": "yes", **CONTACT}, follow_redirects=False)
    assert added.status_code == 303
    sub = run(reads.load_processor(dpo.ids.processor_id)).sub_processors[-1]
    assert {k: getattr(sub, k) for k in CONTACT} == CONTACT
    count = len(run(reads.load_processor(dpo.ids.processor_id)).sub_processors)
    refused = post_form(dpo.browser, f"{page}/sub-processors/new", f"{page}/sub-processors",
                        {"name": "Other Ltd", "flowdown": "yes", "contact_email": "nope"})
    assert refused.status_code == 400 and "Saisissez une adresse e-mail." in refused.text
    assert len(run(reads.load_processor(dpo.ids.processor_id)).sub_processors) == count


def test_agreement_page_saves_the_options_and_assistance_measures(signed_in, run):
    dpo = signed_in("dpo")
    page = f"{dpo.processor}/agreement"
    form = dpo.browser.get(page).text
    assert 'name="docking_clause"' in form and 'name="breach_assistance_measures"' in form
    current = run(reads.load_processor(dpo.ids.processor_id)).agreement
    version = {"version": str(current.version)} if current is not None else {}
    saved = post_form(dpo.browser, page, page, {
        **version, "sub_processor_authorisation": "general", "objection_notice_days": "30",
        "docking_clause": "yes", "assistance_measures": OPTIONS["assistance_measures"],
        "breach_assistance_measures": OPTIONS["breach_assistance_measures"],
    }, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    agreement = run(reads.load_processor(dpo.ids.processor_id)).agreement
    assert agreement.docking_clause is True
    assert agreement.assistance_measures == OPTIONS["assistance_measures"]
    assert agreement.breach_assistance_measures == OPTIONS["breach_assistance_measures"]
    shown = html.unescape(dpo.browser.get(dpo.processor).text)
    assert OPTIONS["assistance_measures"] in shown and "Clause d'adhésion (clause 5) retenue" in shown


def test_admins_edit_the_organisation_details_others_cannot(signed_in, run):
    admin = signed_in("admin")
    page = f"{admin.organisation}/details"
    form = admin.browser.get(page)
    assert form.status_code == 200 and 'name="contact_position"' in form.text
    assert f'href="{page}"' in admin.browser.get(f"{admin.organisation}/members").text
    organisation = run(reads.load_organisation(admin.ids.organisation_id))
    data = {**forms.values_of(organisation, forms.ORGANISATION.fields), **CONTACT, "version": str(organisation.version)}
    refused = post_form(admin.browser, page, page, {**data, "contact_email": "nope", "dpo_email": "also wrong"})
    assert refused.status_code == 400 and refused.text.count("Saisissez une adresse e-mail.") >= 2
    assert run(reads.load_organisation(admin.ids.organisation_id)).version == organisation.version
    saved = post_form(admin.browser, page, page, data, follow_redirects=False)
    assert saved.status_code == 303
    stored = run(reads.load_organisation(admin.ids.organisation_id))
    assert {k: getattr(stored, k) for k in CONTACT} == CONTACT
    stale = post_form(admin.browser, page, page, data)  # the version read is now stale
    assert stale.status_code == 400
    dpo = signed_in("dpo")
    assert dpo.browser.get(page).status_code in (403, 404)


# --------------------------------------------------------------------------
# Export / import


def test_export_import_round_trip_keeps_contacts_and_options(run, database):
    async def scenario() -> tuple[bytes, bytes]:
        first = await export_organisation(await import_document(demo_document(), "test"))
        return first, await export_organisation(await import_organisation(first, "test"))

    first, second = run(scenario())
    assert first == second
    document = json.loads(first)
    source = demo_document()
    assert document["organisation"]["contact_email"] == source.organisation.contact_email
    assert document["organisation"]["address"] == source.organisation.address
    enrichly = next(p for p in document["processors"] if p["legal_name"] == "Enrichly SAS")
    assert enrichly["contact_name"] == source.processors[0].contact_name == "Léa Dupont"
    assert enrichly["sub_processors"][0]["address"] == source.processors[0].sub_processors[0].address
    assert enrichly["agreement"]["docking_clause"] is False
    assert enrichly["agreement"]["assistance_measures"] == source.processors[0].agreement.assistance_measures


def test_import_refuses_a_bad_email_and_writes_nothing(run, database):
    document = json.loads(run(_demo_export()))
    document["processors"][1]["sub_processors"][0]["contact_email"] = "broken"
    from register.store.portability import ImportRefused

    before = len(run(reads.list_organisations()))
    with pytest.raises(ImportRefused, match="contact_email"):
        run(import_organisation(json.dumps(document).encode(), "test"))
    assert len(run(reads.list_organisations())) == before


async def _demo_export() -> bytes:
    return await export_organisation(await import_document(demo_document(), "test"))
