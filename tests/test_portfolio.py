"""The portfolio: every client of a user with its figures, each as the user's role
there may read it; filters and sorting; the page, the API, the link that opens a
client, the reports (.docx, .xlsx) in both languages; a constant number of queries."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from litestar.testing import TestClient

from register.compliance import assess_register
from register.compliance.model import Agreement, Processor
from register.compliance.portfolio import (
    FIGURES,
    SORTS,
    ClientFigures,
    PortfolioQuery,
    client_figures,
    portfolio_row,
    portfolio_totals,
    select_rows,
)
from register.compliance.remediation import TaskState
from register.documents.portfolio_report import portfolio_report_docx, portfolio_report_xlsx
from register.vocabulary import Role
from tests.conftest import BASE_URL
from tests.documents_support import open_docx, tables
from tests.test_language_purity import leaks
from tests.test_pages_support import seeded, sign_in, signed_in  # noqa: F401  (fixtures)

TODAY = date.today()


# ---------------------------------------------------------------------------- the pure core


def processor(pid: int, **values) -> Processor:
    return Processor(id=pid, organisation_id=1, legal_name=f"P{pid}", status="approved", **values)


def test_client_figures_count_reviews_tasks_and_dpas_in_the_window():
    register = [
        processor(1, headquarters_country="IN", next_review_on=TODAY - timedelta(days=1)),  # overdue, critical
        processor(2, headquarters_country="FR", agreement=Agreement(id=1, ends_on=TODAY)),  # ends today: in
        processor(3, headquarters_country="FR", agreement=Agreement(id=2, ends_on=TODAY + timedelta(days=90))),  # in
        processor(4, headquarters_country="FR", agreement=Agreement(id=3, ends_on=TODAY + timedelta(days=91))),  # out
        processor(5, headquarters_country="FR", agreement=Agreement(id=4, ends_on=TODAY - timedelta(days=1))),  # out
        processor(6, headquarters_country="FR", next_review_on=TODAY),  # due today: not overdue
    ]
    assessment = assess_register(register, as_of=TODAY)
    states = [
        (TaskState.OPEN, True), (TaskState.IN_PROGRESS, False), (TaskState.OPEN, False),
        (TaskState.ACCEPTED, False), (TaskState.RESOLVED, False),
    ]  # fmt: skip
    figures = client_figures(register, assessment, states, pending_requests=2, pending_notices=1, as_of=TODAY)
    assert figures == ClientFigures(
        score=assessment.score,
        critical_findings=assessment.counts.critical,
        overdue_reviews=1,
        open_tasks=3,
        overdue_tasks=1,
        agreements_ending=2,
        next_agreement_end=TODAY,
        pending_requests=2,
        pending_notices=1,
    )
    assert figures.critical_findings >= 1


FIGURES_A = ClientFigures(55, 2, 1, 4, 1, 1, TODAY + timedelta(days=5), 3, 1)
FIGURES_B = ClientFigures(90, 0, 0, 1, 0, 0, None, 1, 0)
FIGURES_C = ClientFigures(20, 5, 3, 2, 2, 2, TODAY + timedelta(days=30), 0, 2)


def rows():
    return [
        portfolio_row(1, "alpha SAS", Role.DPO, FIGURES_A, reads_register=True, reads_procurement=True),
        portfolio_row(2, "Bravo SA", Role.AUDITOR, FIGURES_B, reads_register=True, reads_procurement=True),
        portfolio_row(3, "Charlie SARL", Role.PROCUREMENT, FIGURES_C, reads_register=False, reads_procurement=True),
    ]


def test_a_role_that_does_not_read_the_register_sees_none_of_its_figures():
    hidden = rows()[2]
    assert [hidden.figure(f) for f in FIGURES] == [None, None, None, None, None, None, 0, None]
    assert hidden.next_agreement_end is None and hidden.overdue_items is None
    no_procurement = portfolio_row(4, "D", Role.AUDITOR, FIGURES_A, reads_register=True, reads_procurement=False)
    assert no_procurement.pending_requests is None and no_procurement.score == 55


def names(selected) -> list[str]:
    return [row.name for row in selected]


def test_filters_by_name_role_critical_findings_and_overdue_items():
    assert names(select_rows(rows(), PortfolioQuery(q="ALPHA"))) == ["alpha SAS"]
    assert names(select_rows(rows(), PortfolioQuery(role=Role.AUDITOR))) == ["Bravo SA"]
    # Charlie's critical findings are hidden from its role: not listed as having some.
    assert names(select_rows(rows(), PortfolioQuery(critical_only=True))) == ["alpha SAS"]
    assert names(select_rows(rows(), PortfolioQuery(overdue_only=True))) == ["alpha SAS"]
    assert names(select_rows(rows(), PortfolioQuery(q="zz"))) == []


def test_every_column_sorts_both_ways_with_hidden_figures_last():
    assert names(select_rows(rows(), PortfolioQuery())) == ["alpha SAS", "Bravo SA", "Charlie SARL"]
    assert names(select_rows(rows(), PortfolioQuery(descending=True))) == ["Charlie SARL", "Bravo SA", "alpha SAS"]
    assert names(select_rows(rows(), PortfolioQuery(sort="score"))) == ["alpha SAS", "Bravo SA", "Charlie SARL"]
    assert names(select_rows(rows(), PortfolioQuery(sort="score", descending=True))) == [
        "Bravo SA", "alpha SAS", "Charlie SARL"
    ]
    assert names(select_rows(rows(), PortfolioQuery(sort="pending_requests", descending=True))) == [
        "alpha SAS", "Bravo SA", "Charlie SARL"
    ]
    assert names(select_rows(rows(), PortfolioQuery(sort="role"))) == ["alpha SAS", "Bravo SA", "Charlie SARL"]
    assert names(select_rows(rows(), PortfolioQuery(sort="role", descending=True))) == [
        "Charlie SARL", "Bravo SA", "alpha SAS"
    ]
    for sort in SORTS:
        for descending in (False, True):
            selected = select_rows(rows(), PortfolioQuery(sort=sort, descending=descending))
            assert sorted(names(selected)) == sorted(names(rows()))
            if sort in FIGURES and sort != "pending_requests":
                assert selected[-1].name == "Charlie SARL"  # hidden: last both ways
    with pytest.raises(ValueError):
        select_rows(rows(), PortfolioQuery(sort="password"))


def test_equal_figures_keep_the_name_order_both_ways():
    tied = [
        portfolio_row(i, name, Role.DPO, FIGURES_B, reads_register=True, reads_procurement=True)
        for i, name in enumerate(["Zulu", "alpha", "Mike"], start=1)
    ]
    for descending in (False, True):
        assert names(select_rows(tied, PortfolioQuery(sort="score", descending=descending))) == ["alpha", "Mike", "Zulu"]


def test_totals_count_only_what_the_roles_read():
    totals = portfolio_totals(rows())
    assert totals.organisations == 3 and totals.with_critical_findings == 1 and totals.with_overdue_items == 1
    assert totals.critical_findings == 2 and totals.pending_requests == 4 and totals.pending_notices == 1


# ---------------------------------------------------------------------------- a portfolio in the database


@dataclass
class World:
    user_id: int
    email: str
    alpha: int  # DPO there
    bravo: int  # procurement there
    charlie: int  # no role there


async def build_world(user_id: int) -> World:
    from register.accounts.store import set_membership
    from register.compliance.remediation import finding_key
    from register.schemas import CandidateInput
    from register.store import changes, snapshots
    from register.store.procurement import submit_procurement_request
    from register.store.tasks import create_task
    from tests.access_support import seeded_notice

    async def organisation(name: str) -> int:
        return (await changes.create_organisation({"name": name, "country": "FR"}, "test")).id

    alpha, bravo, charlie = (
        await organisation("Alpha <Conseil> & Fils"), await organisation("Bravo Industrie"),
        await organisation("Charlie Secret SAS"),
    )  # fmt: skip
    offshore = await changes.create_processor(
        alpha, {"legal_name": "Offshore Calls", "headquarters_country": "IN", "status": "approved",
                "next_review_on": TODAY - timedelta(days=3)}, "test",
    )  # fmt: skip
    mail = await changes.create_processor(
        alpha, {"legal_name": "Paris Mail", "headquarters_country": "FR", "status": "approved"}, "test"
    )
    await changes.create_agreement(alpha, mail.id, {"ends_on": TODAY + timedelta(days=10)}, "test")
    await submit_procurement_request(alpha, CandidateInput(legal_name="Candidate A"), "CRM", "test")
    _, assessment = await snapshots.register_assessment(alpha, TODAY)
    finding = next(f for f in assessment.findings if f.processor_id == offshore.id and f.code == "TRANSFER_NO_SAFEGUARD")
    await create_task(alpha, finding_key(finding), None, TODAY - timedelta(days=1), "test", TODAY)
    await seeded_notice(alpha, mail.id)

    await changes.create_processor(
        bravo, {"legal_name": "Bravo Cloud", "headquarters_country": "US", "status": "approved"}, "test"
    )
    for number in range(2):
        await submit_procurement_request(bravo, CandidateInput(legal_name=f"Tool {number}"), "Sales", "test")

    for number in range(7):  # Charlie's own numbers: seven pending requests, never shown to the user
        await submit_procurement_request(charlie, CandidateInput(legal_name=f"Hidden {number}"), "Secret", "test")
    await changes.create_processor(charlie, {"legal_name": "Charlie Vendor", "headquarters_country": "CN"}, "test")

    await set_membership(user_id, alpha, Role.DPO)
    await set_membership(user_id, bravo, Role.PROCUREMENT)
    return World(user_id, "", alpha, bravo, charlie)


@pytest.fixture
def world(database, run, make_user):
    email = "firm-dpo@example.test"
    user_id = make_user(email)
    built = run(build_world(user_id))
    built.email = email
    return built


def test_the_store_gathers_each_clients_figures(world, run):
    from register.store import snapshots
    from register.store.portfolio import portfolio_clients

    clients = {c.organisation_id: c for c in run(portfolio_clients([world.alpha, world.bravo], TODAY))}
    assert set(clients) == {world.alpha, world.bravo}
    alpha = clients[world.alpha].figures
    _, assessment = run(snapshots.register_assessment(world.alpha, TODAY))
    assert alpha.score == assessment.score and alpha.critical_findings == assessment.counts.critical >= 2
    assert (alpha.overdue_reviews, alpha.open_tasks, alpha.overdue_tasks) == (1, 1, 1)
    assert (alpha.agreements_ending, alpha.next_agreement_end) == (1, TODAY + timedelta(days=10))
    assert (alpha.pending_requests, alpha.pending_notices) == (1, 1)
    assert clients[world.bravo].figures.pending_requests == 2
    assert clients[world.bravo].name == "Bravo Industrie"


def test_a_write_shows_at_once_and_nothing_is_stale(world, run):
    from register.schemas import CandidateInput
    from register.store import changes
    from register.store.portfolio import portfolio_clients
    from register.store.procurement import submit_procurement_request

    def alpha():
        return next(c for c in run(portfolio_clients([world.alpha, world.bravo], TODAY)) if c.organisation_id == world.alpha)

    before = alpha().figures
    run(changes.create_processor(
        world.alpha, {"legal_name": "Late Review Ltd", "headquarters_country": "FR", "status": "approved",
                      "next_review_on": TODAY - timedelta(days=30)}, "test",
    ))  # fmt: skip
    run(submit_procurement_request(world.alpha, CandidateInput(legal_name="Another"), "HR", "test"))
    after = alpha().figures
    assert after.overdue_reviews == before.overdue_reviews + 1
    assert after.pending_requests == before.pending_requests + 1


def test_a_constant_number_of_queries_for_any_number_of_clients(database, run, count_queries, make_user):
    """Warm: one statement whatever the number of clients. Cold: two, plus each client's
    register load (the per-organisation cache it then keeps)."""
    from register.accounts.store import set_membership
    from register.store import changes, snapshots
    from register.store.portfolio import portfolio_clients

    async def clients(n: int) -> list[int]:
        ids = []
        for number in range(n):
            organisation = await changes.create_organisation({"name": f"Client {n}-{number}", "country": "FR"}, "t")
            await changes.create_processor(organisation.id, {"legal_name": "Vendor", "status": "approved"}, "t")
            ids.append(organisation.id)
        return ids

    user = make_user("many@example.test")
    measured = {}
    for n in (2, 6):
        ids = run(clients(n))
        for organisation_id in ids:
            run(set_membership(user, organisation_id, Role.DPO))
        snapshots.clear_caches()
        count_queries.count = 0
        run(snapshots.register_snapshot(ids[0]))
        one_register = count_queries.count - 1  # minus the revision look-up
        snapshots.clear_caches()
        count_queries.count = 0
        run(portfolio_clients(ids, TODAY))
        cold = count_queries.count
        count_queries.count = 0
        run(portfolio_clients(ids, TODAY))
        measured[n] = (cold, count_queries.count, one_register)
    for n, (cold, warm, one_register) in measured.items():
        assert warm == 1, measured
        assert cold == 2 + n * one_register, measured


# ---------------------------------------------------------------------------- the page


@pytest.fixture
def firm_browser(app, world):
    with TestClient(app=app, base_url=BASE_URL) as browser:
        sign_in(browser, world.email)
        yield browser


def row_html(page: str, organisation_id: int) -> str:
    match = re.search(rf'<tr data-organisation="{organisation_id}">(.*?)</tr>', page, re.S)
    assert match, f"no row for organisation {organisation_id}"
    return match.group(1)


def figure_cell(row: str, figure: str) -> str:
    match = re.search(rf'data-figure="{figure}">(.*?)</td>', row, re.S)
    assert match, figure
    return match.group(1)


def test_the_page_lists_the_clients_with_what_each_role_reads(firm_browser, world):
    page = firm_browser.get("/portfolio").text
    assert "<h1>Portefeuille de clients</h1>" in page
    assert "Alpha &lt;Conseil&gt; &amp; Fils" in page and "<Conseil>" not in page  # escaped
    assert "Charlie" not in page and f'data-organisation="{world.charlie}"' not in page
    alpha = row_html(page, world.alpha)
    assert f'href="/organisations/{world.alpha}/open"' in alpha
    assert "score-chip" in figure_cell(alpha, "score")
    assert re.search(r">\s*1\s*<", figure_cell(alpha, "overdue_reviews").replace("</span></a>", "<"))
    assert "data-hidden" not in alpha
    bravo = row_html(page, world.bravo)  # procurement: no findings, no score, its requests
    for figure in ("score", "critical_findings", "overdue_reviews", "open_tasks", "overdue_tasks",
                   "agreements_ending", "pending_notices"):  # fmt: skip
        assert 'data-hidden="true"' in figure_cell(bravo, figure), figure
    assert ">2</a>" in figure_cell(bravo, "pending_requests")
    assert "un chiffre auquel votre rôle" in page
    assert 'href="/portfolio" aria-current="page"' in page  # the navigation entry (2+ organisations)
    assert " style=" not in page and "<script>" not in page


def test_the_page_in_english(firm_browser):
    from tests.test_pages_support import post_form

    post_form(firm_browser, "/portfolio", "/preferences/language", {"language": "en", "next": "/portfolio"})
    page = firm_browser.get("/portfolio").text
    assert "<h1>Client portfolio</h1>" in page and "Pending procurement requests" in page
    assert "Portefeuille" not in page


def test_the_page_filters_and_sorts(firm_browser, world):
    def listed(**params) -> list[int]:
        page = firm_browser.get("/portfolio", params=params).text
        return [int(i) for i in re.findall(r'<tr data-organisation="(\d+)">', page)]

    assert listed() == [world.alpha, world.bravo]
    assert listed(order="desc") == [world.bravo, world.alpha]
    assert listed(sort="pending_requests", order="desc") == [world.bravo, world.alpha]
    assert listed(sort="pending_requests") == [world.alpha, world.bravo]
    assert listed(sort="score", order="desc") == [world.alpha, world.bravo]  # Bravo's score is hidden: last
    assert listed(q="bravo") == [world.bravo]
    assert listed(role="procurement") == [world.bravo]
    assert listed(critical="1") == [world.alpha]
    assert listed(overdue="1") == [world.alpha]
    assert listed(sort="nonsense", role="king", critical="maybe") == [world.alpha, world.bravo]  # ignored
    page = firm_browser.get("/portfolio", params={"sort": "score"}).text
    assert 'aria-sort="ascending"' in page and "sort=score&amp;order=desc" in page
    page = firm_browser.get("/portfolio", params={"q": "zzz"}).text
    assert "Aucun organisme client ne correspond à ces filtres." in page


def test_opening_a_client_makes_it_the_current_organisation(firm_browser, world):
    response = firm_browser.get(f"/organisations/{world.bravo}/open", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == f"/organisations/{world.bravo}"
    home = firm_browser.get("/", follow_redirects=False)
    assert home.headers["location"] == f"/organisations/{world.bravo}"
    response = firm_browser.get(f"/organisations/{world.alpha}/open?to=critical", follow_redirects=False)
    assert response.headers["location"] == f"/organisations/{world.alpha}/findings?severity=critical"
    assert firm_browser.get("/", follow_redirects=False).headers["location"] == f"/organisations/{world.alpha}"
    unknown = firm_browser.get(f"/organisations/{world.alpha}/open?to=https://evil.example", follow_redirects=False)
    assert unknown.headers["location"] == f"/organisations/{world.alpha}"
    # Not a member: not found, and the current organisation stays.
    assert firm_browser.get(f"/organisations/{world.charlie}/open", follow_redirects=False).status_code == 404
    assert firm_browser.get("/", follow_redirects=False).headers["location"] == f"/organisations/{world.alpha}"


def test_one_organisation_shows_no_portfolio_link(signed_in):
    dpo = signed_in("dpo")
    assert 'href="/portfolio"' not in dpo.browser.get(dpo.organisation).text
    page = dpo.browser.get("/portfolio").text  # still reachable: one row
    assert page.count("<tr data-organisation=") == 1


# ---------------------------------------------------------------------------- the API


@pytest.fixture
def firm_api(world, api_client_for):
    return api_client_for(world.user_id)


def test_the_api_answers_the_figures_with_null_where_the_role_may_not_read(firm_api, world):
    answer = firm_api.get("/api/v1/portfolio").json()
    assert answer["total"] == 2 and answer["as_of"] == TODAY.isoformat()
    by_id = {client["id"]: client for client in answer["organisations"]}
    assert set(by_id) == {world.alpha, world.bravo}
    alpha, bravo = by_id[world.alpha], by_id[world.bravo]
    assert alpha["role"] == "dpo" and alpha["readable"] == {"register": True, "procurement": True}
    assert alpha["overdue_reviews"] == 1 and alpha["open_tasks"] == 1 and alpha["overdue_tasks"] == 1
    assert alpha["pending_notices"] == 1 and alpha["pending_requests"] == 1 and alpha["critical_findings"] >= 2
    assert alpha["next_agreement_end"] == (TODAY + timedelta(days=10)).isoformat()
    assert alpha["page"] == f"/organisations/{world.alpha}/open"
    assert bravo["readable"] == {"register": False, "procurement": True} and bravo["pending_requests"] == 2
    for figure in ("score", "critical_findings", "overdue_reviews", "open_tasks", "overdue_tasks",
                   "agreements_ending", "next_agreement_end", "pending_notices"):  # fmt: skip
        assert bravo[figure] is None, figure


def test_the_api_filters_sorts_and_refuses_bad_parameters(firm_api, world):
    def ids(**params) -> list[int]:
        response = firm_api.get("/api/v1/portfolio", params=params)
        assert response.status_code == 200, response.text
        return [client["id"] for client in response.json()["organisations"]]

    assert ids(sort="pending_requests", order="desc") == [world.bravo, world.alpha]
    assert ids(critical="true") == [world.alpha]
    assert ids(overdue="true") == [world.alpha]
    assert ids(role="procurement") == [world.bravo]
    assert ids(q="ALPHA") == [world.alpha]
    for name, value in (("sort", "password"), ("order", "sideways"), ("role", "king"), ("critical", "maybe"),
                        ("q", "x" * 201)):  # fmt: skip
        response = firm_api.get("/api/v1/portfolio", params={name: value})
        assert response.status_code == 400, (name, response.text)
        assert name in response.text


# ---------------------------------------------------------------------------- the reports


def test_the_reports_download_from_the_page_and_the_api(firm_browser, firm_api, world):
    for client, prefix in ((firm_browser, "/portfolio"), (firm_api, "/api/v1/portfolio")):
        docx_response = client.get(f"{prefix}/report.docx", params={"lang": "en", "sort": "name"})
        assert docx_response.status_code == 200
        assert docx_response.headers["content-type"].startswith("application/vnd.openxmlformats-officedocument.word")
        assert re.match(r'attachment; filename="portfolio_\d{4}-\d{2}-\d{2}_en\.docx"',
                        docx_response.headers["content-disposition"])
        table = tables(open_docx(docx_response.content))[-1]
        assert [row[0] for row in table[1:]] == ["Alpha <Conseil> & Fils", "Bravo Industrie"]
        xlsx_response = client.get(f"{prefix}/report.xlsx", params={"role": "procurement"})
        sheet = openpyxl.load_workbook(io.BytesIO(xlsx_response.content)).active
        assert [c.value for c in sheet[2]][:2] == ["Bravo Industrie", "Achats"]
        assert sheet.max_row == 2  # the filter applied
    text = firm_browser.get("/portfolio/report.docx").content
    assert b"Charlie" not in text


def report_rows():
    return rows()


def test_the_word_report_in_french_is_send_ready():
    content = portfolio_report_docx(report_rows(), prepared_for="Cabinet Dupont", as_of=date(2026, 6, 1), language="fr")
    document = open_docx(content)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Situation au 1er juin 2026" in text
    assert "3 organismes clients\u00a0:" in text and "1 avec des constats critiques," in text
    assert "alpha SAS\u00a0: 2 constats critiques, 1 revue en retard, 1 tâche en retard" in text
    table = tables(document)[-1]
    assert table[0][:4] == ["Client", "Votre rôle", "Score", "Constats critiques"]
    charlie = next(row for row in table if row[0] == "Charlie SARL")
    assert charlie[1] == "Achats" and charlie[2] == "—" and charlie[9] == "0"
    alpha = next(row for row in table if row[0] == "alpha SAS")
    assert alpha[8] == (TODAY + timedelta(days=5)).strftime("%d/%m/%Y")
    assert leaks(text + "\n" + "\n".join(" | ".join(r) for r in table), "fr") == []
    assert "[" not in text  # no placeholder
    assert document.core_properties.language == "fr-FR"


def test_the_word_report_in_english_and_empty():
    document = open_docx(portfolio_report_docx(report_rows(), prepared_for="Firm", as_of=date(2026, 6, 1), language="en"))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Situation on 1 June 2026" in text and "3 client organisations:" in text
    table = tables(document)[-1]
    assert leaks(text + "\n" + "\n".join(" | ".join(r) for r in table), "en") == []
    empty = open_docx(portfolio_report_docx([], prepared_for="Firm", as_of=date(2026, 6, 1), language="fr"))
    assert "Aucun organisme client à présenter." in "\n".join(p.text for p in empty.paragraphs)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_spreadsheet_reads_back_with_numbers_and_dates(language):
    workbook = openpyxl.load_workbook(io.BytesIO(portfolio_report_xlsx(report_rows(), as_of=TODAY, language=language)))
    sheet = workbook.active
    assert sheet.title == ("Portefeuille" if language == "fr" else "Portfolio")
    assert sheet.freeze_panes == "B2"
    header = [c.value for c in sheet[1]]
    assert header[0] == "Client" and header[3] == ("Constats critiques" if language == "fr" else "Critical findings")
    values = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    alpha = values["alpha SAS"]
    assert alpha[2:8] == (55, 2, 1, 4, 1, 1) and all(isinstance(v, int) for v in alpha[2:8])
    assert isinstance(alpha[8], datetime) and alpha[8].date() == TODAY + timedelta(days=5)
    assert sheet.cell(row=2, column=9).number_format in ("dd/mm/yyyy", "[$-809]d mmm yyyy")
    assert values["Bravo SA"][8] is None  # no DPA ending: an empty cell
    charlie = values["Charlie SARL"]
    assert charlie[2] == "—" and charlie[9] == 0 and charlie[8] == "—"
    assert sheet.column_dimensions["A"].width > 30
    text = "\n".join(" | ".join(v for v in row if isinstance(v, str)) for row in sheet.iter_rows(values_only=True))
    assert leaks(text, language) == []


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_converts_the_word_report(tmp_path):
    source = tmp_path / "portfolio.docx"
    source.write_bytes(portfolio_report_docx(report_rows(), prepared_for="Cabinet", as_of=TODAY, language="fr"))
    result = subprocess.run(
        [shutil.which("soffice"), f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
         "--norestore", "--convert-to", "pdf", "--outdir", str(tmp_path), str(source)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "portfolio.pdf").read_bytes().startswith(b"%PDF")
