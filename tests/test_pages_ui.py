"""The UI as a whole: every text in both languages, the FR/EN switch, the organisation switcher,
escaping, no inline script or style (CSP), static files, error pages."""

from __future__ import annotations

import re
from enum import StrEnum
from pathlib import Path

import pytest

from register import vocabulary
from register.settings import TEMPLATES_DIR
from register.store import changes
from register.i18n.terms import ALL_TERMS, has_term
from register.web import forms
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

TEMPLATES = sorted(Path(TEMPLATES_DIR).glob("*.html"))
PREFIX_KEY = re.compile(r"""\bterm\(\s*["']([a-z_0-9]+\.)["']\s*~""")
XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def test_every_vocabulary_value_and_form_field_has_a_label():
    labelled = {
        "status": vocabulary.LifecycleStatus, "category": vocabulary.ProcessorCategory,
        "role": vocabulary.ProcessorRole, "prospection": vocabulary.ProspectionUse,
        "activity": vocabulary.LocationActivity, "tristate": vocabulary.Tristate,
        "authorisation": vocabulary.SubProcessorAuthorisation, "clause_status": vocabulary.ClauseStatus,
        "mechanism": vocabulary.TransferMechanism, "severity": vocabulary.Severity,
        "request_status": vocabulary.ProcurementStatus, "member_role": vocabulary.Role,
        "audit_action": vocabulary.AuditAction,
        "notice_kind": vocabulary.NoticeKind, "notice_channel": vocabulary.NoticeChannel,
        "notice_status": vocabulary.NoticeStatus,
    }
    missing = [f"{prefix}.{member.value}" for prefix, enum in labelled.items() for member in enum
               if not has_term(f"{prefix}.{member.value}")]
    every_form = (forms.PROCESSOR_FORM, forms.LOCATION_FORM, forms.SUB_PROCESSOR_FORM, forms.AGREEMENT_FORM,
                  forms.SAFEGUARD_FORM, forms.REQUEST_FORM)
    for form in every_form:
        for fieldset in form:
            missing += [fieldset.legend] if not has_term(fieldset.legend) else []
            for spec in fieldset.fields:
                missing += [f"field.{spec.name}"] if not has_term(f"field.{spec.name}") else []
                missing += [f"{spec.choice_labels}.{c}" for c in spec.choices
                            if spec.choice_labels and not has_term(f"{spec.choice_labels}.{c}")]
    prefixes = {key for path in TEMPLATES for key in PREFIX_KEY.findall(path.read_text())}
    assert prefixes, "no prefix found: the pattern is wrong"
    assert all(any(k.startswith(p) for k in ALL_TERMS) for p in prefixes)
    assert missing == []
    assert isinstance(vocabulary.Severity.CRITICAL, StrEnum)


def test_the_language_switch_changes_the_whole_ui(signed_in):
    dpo = signed_in("dpo")
    french = dpo.browser.get(dpo.processor).text
    assert '<html lang="fr">' in french and "Constats et actions correctives" in french
    switched = post_form(dpo.browser, dpo.processor, "/preferences/language",
                         {"language": "en", "next": f"{dpo.processor}#findings"}, follow_redirects=False)
    assert switched.status_code == 303 and switched.headers["location"] == f"{dpo.processor}#findings"
    english = dpo.browser.get(dpo.processor).text
    assert '<html lang="en">' in english and "Findings and remediation" in english
    assert "Constats et actions correctives" not in english
    for page in (dpo.organisation, f"{dpo.organisation}/processors", f"{dpo.organisation}/findings"):
        assert '<html lang="en">' in dpo.browser.get(page).text
    away = post_form(dpo.browser, dpo.processor, "/preferences/language",
                     {"language": "en", "next": "https://evil.example/"}, follow_redirects=False)
    assert away.headers["location"] == "/"


def test_the_sign_in_page_speaks_the_asked_language(anonymous_client):
    assert "Mot de passe" in anonymous_client.get("/login").text
    english = anonymous_client.get("/login?lang=en&next=/x").text
    assert "Password" in english and '<html lang="en">' in english
    assert 'href="?lang=fr&amp;next=%2Fx"' in english


def test_the_organisation_switcher_moves_between_member_organisations(signed_in, run):
    dpo = signed_in("dpo")
    other = run(changes.create_organisation({"name": "Second SAS", "country": "FR"}, "test"))
    stranger = run(changes.create_organisation({"name": "Not Mine SA", "country": "FR"}, "test"))
    from register.accounts.store import set_membership, user_id_by_email
    from register.vocabulary import Role

    run(set_membership(run(user_id_by_email(dpo.email)), other.id, Role.AUDITOR))
    page = dpo.browser.get(dpo.organisation).text
    assert "Second SAS" in page and "Not Mine SA" not in page
    moved = post_form(dpo.browser, dpo.organisation, "/preferences/organisation",
                      {"organisation_id": str(other.id)}, follow_redirects=False)
    assert moved.headers["location"] == f"/organisations/{other.id}"
    assert dpo.browser.get("/", follow_redirects=False).headers["location"] == f"/organisations/{other.id}"
    refused = post_form(dpo.browser, dpo.organisation, "/preferences/organisation",
                        {"organisation_id": str(stranger.id)}, follow_redirects=False)
    assert refused.headers["location"] == "/"


def test_text_is_escaped_everywhere_it_is_shown(signed_in, run):
    dpo = signed_in("dpo")
    created = run(changes.create_processor(dpo.ids.organisation_id, {
        "legal_name": XSS, "trade_name": XSS, "service_description": XSS, "data_categories": [XSS],
        "website": "javascript:alert(1)",
    }, "test"))
    run(changes.add_sub_processor(dpo.ids.organisation_id, created.id, {"name": XSS, "countries": ["IN"]}, "test"))
    pages = [dpo.organisation, f"{dpo.organisation}/processors", f"/processors/{created.id}",
             f"/processors/{created.id}/edit", f"{dpo.organisation}/findings", f"{dpo.organisation}/audit",
             f"{dpo.organisation}/documents"]
    for page in pages:
        text = dpo.browser.get(page).text
        assert "<script>alert" not in text and "<img src=x" not in text, page
        assert "&lt;script&gt;alert(" in text, page
    assert 'href="javascript:' not in dpo.browser.get(f"/processors/{created.id}").text


@pytest.mark.parametrize("role", ["admin", "dpo", "procurement", "auditor"])
def test_pages_carry_no_inline_script_or_style(signed_in, role):
    signed = signed_in(role)
    pages = [signed.organisation, f"{signed.organisation}/processors", f"{signed.organisation}/procurement",
             f"{signed.organisation}/procurement/new", signed.processor, f"{signed.processor}/edit",
             f"{signed.processor}/agreement/clauses", f"{signed.organisation}/members", f"/procurement/{signed.ids.request_id}"]
    shown = 0
    for page in pages:
        response = signed.browser.get(page)
        # a page the role may not see is a 403 page, itself checked; anything else (a 500) fails
        assert response.status_code in (200, 403), (page, response.status_code)
        shown += response.status_code == 200
        text = response.text
        assert "content-security-policy" in response.headers
        assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", text) == [], page
        assert " style=" not in text and "<style" not in text, page
        assert re.findall(r"\son[a-z]+=", text) == [], page
    assert shown >= 3, role  # every role sees its organisation, its processors or its requests


def test_static_files_are_public_and_typed(anonymous_client):
    css = anonymous_client.get("/static/app.css")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    js = anonymous_client.get("/static/app.js")
    assert js.status_code == 200 and "javascript" in js.headers["content-type"]

@pytest.mark.parametrize(
    "path",
    # httpx removes "/../" before sending, so the dots are percent-encoded: the test transport
    # (like uvicorn) decodes them into the path the app sees, "/static/../settings.py".
    ["/static/%2e%2e/settings.py", "/static/..%2fsettings.py", "/static/%2e%2e/%2e%2e/pyproject.toml",
     "/static/%2e%2e%2f__init__.py", "/static/%252e%252e/settings.py"],
)
def test_static_files_cannot_be_left_by_a_traversal(anonymous_client, path):
    from register.app import STATIC_DIR

    assert (STATIC_DIR / ".." / "settings.py").is_file()  # the target exists: a leak would be served
    response = anonymous_client.get(path)
    assert response.status_code in (400, 404), (path, response.status_code)
    assert "DATABASE_URL" not in response.text and "__version__" not in response.text


def test_labels_for_every_input(signed_in):
    dpo = signed_in("dpo")
    for page in (f"{dpo.processor}/edit", f"{dpo.organisation}/procurement/new", f"{dpo.processor}/safeguards/new",
                 f"{dpo.processor}/agreement/clauses", f"{dpo.organisation}/processors"):
        text = dpo.browser.get(page).text
        ids = set(re.findall(r'<(?:input|select|textarea)(?![^>]*type="(?:hidden|submit)")[^>]*\sid="([^"]+)"', text))
        labelled = set(re.findall(r'<label for="([^"]+)"', text))
        assert ids and ids <= labelled, (page, ids - labelled)


def test_error_pages_are_pages(signed_in):
    dpo = signed_in("dpo")
    missing = dpo.browser.get("/processors/999999")
    assert missing.status_code == 404 and "Page introuvable" in missing.text
    assert missing.headers["content-type"].startswith("text/html")


def test_every_named_text_the_python_code_asks_for_exists():
    from register.web.pages import links, records

    source = "\n".join(path.read_text() for path in Path(forms.__file__).parent.rglob("*.py"))
    named = set(re.findall(r"""term\(\s*["']([a-z_0-9]+\.[a-z_0-9.]+)["']""", source))
    named |= set(re.findall(r"""["']((?:title|fix|error)\.[a-z_0-9]+)["']""", source)) - {"error.html"}
    named |= {f"title.{verb}_{kind.kind}" for verb in ("new", "edit")
              for kind in (records.LOCATIONS, records.SUB_PROCESSORS, records.SAFEGUARDS)}
    named |= {f"field.{name}" for name in links.PROCESSOR_FIELD_OF.values()}
    assert len(named) > 20
    assert sorted(key for key in named if not has_term(key)) == []
