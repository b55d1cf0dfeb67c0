"""Remediation tasks through the pages and the JSON API: made from a finding,
changed, commented, accepted as a risk; roles, CSRF, My tasks, the dashboard's
overdue tasks and the gap report's plan."""

from __future__ import annotations

import re
from datetime import date, timedelta

from tests.documents_support import open_docx
from tests.test_pages_support import post_form, seeded, signed_in  # noqa: F401  (fixtures)

TODAY = date.today()
FINDING_FIELD = re.compile(r'name="finding" value="([^"]+)"')


def _user_id(run, email: str) -> int:
    from register.accounts.store import user_id_by_email

    return run(user_id_by_email(email))


def test_dpo_makes_a_task_from_a_finding_changes_it_and_accepts_the_risk(run, signed_in):
    dpo = signed_in("dpo")
    findings_page = f"{dpo.organisation}/findings"
    page = dpo.browser.get(findings_page).text
    token = FINDING_FIELD.search(page).group(1)
    owner = _user_id(run, dpo.email)
    made = post_form(dpo.browser, findings_page, f"{dpo.organisation}/tasks",
                     {"finding": token, "owner_id": str(owner), "due_on": (TODAY + timedelta(days=7)).isoformat()},
                     follow_redirects=False)
    assert made.status_code == 303
    task_path = made.headers["location"]
    assert f'value="{token}"' not in dpo.browser.get(findings_page).text  # the finding now shows its task
    again = post_form(dpo.browser, findings_page, f"{dpo.organisation}/tasks", {"finding": token})
    assert again.status_code == 400 and "Ce constat a déjà une tâche" in again.text

    # an accepted risk without a reason: the form again, naming the field
    form = {"owner_id": str(owner), "due_on": "", "status": "accepted_risk", "accepted_reason": "",
            "accepted_until": (TODAY + timedelta(days=90)).isoformat(), "version": "1"}
    refused = post_form(dpo.browser, task_path, task_path, form)
    assert refused.status_code == 400 and "Indiquez pourquoi le risque est accepté" in refused.text
    bad_date = post_form(dpo.browser, task_path, task_path, {**form, "accepted_until": "31/12/2027"})
    assert bad_date.status_code == 400 and "Saisissez une date" in bad_date.text
    accepted = post_form(dpo.browser, task_path, task_path, {**form, "accepted_reason": "Vendor leaves in March."},
                         follow_redirects=False)
    assert accepted.status_code == 303
    page = dpo.browser.get(task_path).text
    assert "Risque accepté" in page and "Vendor leaves in March." in page
    assert "1 risque accepté, non compté comme ouvert" in dpo.browser.get(findings_page).text
    stale = post_form(dpo.browser, task_path, task_path, {**form, "accepted_reason": "x"})
    assert stale.status_code == 400 and "Quelqu’un d’autre a modifié cette tâche" in stale.text

    commented = post_form(dpo.browser, task_path, f"{task_path}/comments", {"body": "Called <the> vendor."},
                          follow_redirects=False)
    assert commented.status_code == 303
    assert "Called &lt;the&gt; vendor." in dpo.browser.get(task_path).text
    assert post_form(dpo.browser, task_path, f"{task_path}/comments", {"body": "  "}).status_code == 400

    mine = dpo.browser.get("/tasks").text
    assert task_path in mine


def test_roles_and_csrf_on_task_routes(run, signed_in):
    auditor = signed_in("auditor")
    task_path = f"{auditor.organisation}/tasks/{auditor.ids.task_id}"
    page = auditor.browser.get(task_path)
    assert page.status_code == 200 and 'name="status"' not in page.text  # reads, does not change
    assert post_form(auditor.browser, task_path, f"{task_path}/comments", {"body": "Seen."},
                     follow_redirects=False).status_code == 303
    assert post_form(auditor.browser, task_path, task_path, {"status": "open", "version": "1"}).status_code == 403
    procurement = signed_in("procurement")
    assert procurement.browser.get(f"{procurement.organisation}/tasks").status_code == 403
    assert procurement.browser.get("/tasks").status_code == 200  # My tasks: none where the role cannot read
    dpo = signed_in("dpo")
    no_token = dpo.browser.post(task_path, data={"status": "open", "version": "1"})
    assert no_token.status_code == 403


def test_dashboard_shows_overdue_tasks(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(dpo.organisation).text
    overdue = page.split('id="overdue-tasks"')[1].split("</section>")[0]
    assert f"/tasks/{dpo.ids.task_id}" in overdue and "en retard" in overdue


def test_api_tasks_lifecycle(run, database, seeded, make_user, grant, api_client_for):
    dpo = make_user("api-dpo@example.test")
    grant(dpo, seeded.organisation_id, "dpo")
    client = api_client_for(dpo)
    base = f"/api/v1/organisations/{seeded.organisation_id}"
    listed = client.get(f"{base}/tasks").json()
    assert [t["id"] for t in listed] == [seeded.task_id] and listed[0]["overdue"] is True
    seeded_task = listed[0]
    body = {"processor_id": seeded_task["processor_id"], "finding_code": seeded_task["finding_code"],
            "subject_kind": seeded_task["subject_kind"], "subject_ref": seeded_task["subject_ref"]}
    assert client.post(f"{base}/tasks", json=body).status_code == 409  # one task per finding
    unknown = client.post(f"{base}/tasks", json={**body, "finding_code": "NOT_A_FINDING"})
    assert unknown.status_code == 400 and "finding_code" in unknown.text
    assert client.post(f"{base}/tasks", json={**body, "colour": "red"}).status_code == 400
    task = f"{base}/tasks/{seeded.task_id}"
    changed = client.patch(task, json={"version": 1, "owner_id": dpo, "status": "in_progress"})
    assert changed.status_code == 200, changed.text
    assert changed.json()["state"] == "in_progress" and changed.json()["owner_email"] == "api-dpo@example.test"
    assert client.patch(task, json={"version": 1, "status": "open"}).status_code == 409
    refused = client.patch(task, json={"version": 2, "status": "accepted_risk", "accepted_reason": "ok"})
    assert refused.status_code == 400 and "accepted_until" in refused.text
    assert client.patch(task, json={"version": 2, "status": "done"}).status_code == 400
    accepted = client.patch(task, json={"version": 2, "status": "accepted_risk", "accepted_reason": "ok",
                                        "accepted_until": (TODAY + timedelta(days=1)).isoformat()})
    assert accepted.json()["state"] == "accepted"
    assert client.post(f"{task}/comments", json={"body": "Noted."}).status_code == 201
    assert [c["body"] for c in client.get(f"{task}/comments").json()] == ["Asked the vendor for the missing facts.", "Noted."]
    assert [t["id"] for t in client.get("/api/v1/me/tasks").json()] == [seeded.task_id]


def test_openapi_documents_the_task_routes(anonymous_client):
    paths = anonymous_client.get("/schema/openapi.json").json()["paths"]
    assert {"/api/v1/organisations/{organisation_id}/tasks", "/api/v1/organisations/{organisation_id}/tasks/{task_id}",
            "/api/v1/me/tasks"} <= set(paths)


def test_gap_report_plan_shows_task_owner_and_due_date(run, signed_in):
    from register.store.tasks import update_task

    dpo = signed_in("dpo")
    due = TODAY + timedelta(days=40)
    run(update_task(dpo.ids.organisation_id, dpo.ids.task_id, 1, "test", TODAY,
                    owner_id=_user_id(run, dpo.email), due_on=due))
    response = dpo.browser.get(f"{dpo.organisation}/documents/gap-report.docx", params={"lang": "en"})
    document = open_docx(response.content)
    rows = [[cell.text for cell in row.cells] for table in document.tables for row in table.rows]
    planned = [row for row in rows if dpo.email in row]
    assert planned, "the task's owner is in the plan"
    from register.i18n.dates import table_date

    assert table_date(due, "en") in planned[0]


# ------------------------------------------------------------------ any body, never a 500

from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**40), 2**40), st.text(max_size=20),
    st.dates().map(date.isoformat), st.sampled_from(["open", "in_progress", "accepted_risk", "done", ""]),
)
TASK_FIELDS = ["version", "owner_id", "due_on", "status", "accepted_reason", "accepted_until", "body", "colour",
               "processor_id", "finding_code", "subject_kind", "subject_ref"]


def task_of(client) -> str:
    """A task on a finding of a fresh processor (made once per client)."""
    if not hasattr(client, "fuzz_task"):
        from tests.api_support import create_organisation, create_processor

        organisation = create_organisation(client)
        processor = create_processor(client, organisation["id"])
        finding = client.get(f"/api/v1/processors/{processor['id']}/assessment").json()["findings"][0]
        body = {"processor_id": processor["id"], "finding_code": finding["code"],
                "subject_kind": finding["subject"]["kind"], "subject_ref": finding["subject"]["ref"]}
        task = client.post(f"/api/v1/organisations/{organisation['id']}/tasks", json=body)
        assert task.status_code == 201, task.text
        client.fuzz_task = f"/api/v1/organisations/{organisation['id']}/tasks/{task.json()['id']}"
    return client.fuzz_task


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=st.dictionaries(st.sampled_from(TASK_FIELDS), ANY_VALUE, max_size=6))
def test_task_writes_never_fail_with_500(client, body):
    task = task_of(client)
    before = client.get(task).json()
    changed = client.patch(task, json=body)
    assert changed.status_code in (200, 400, 409), changed.text
    if changed.status_code != 200:
        assert client.get(task).json() == before  # a refused change leaves the task as it was
    comment = client.post(f"{task}/comments", json=body)
    assert comment.status_code in (201, 400), comment.text
    made = client.post(task.rsplit("/", 1)[0], json=body)
    assert made.status_code in (201, 400, 409), made.text
