"""The dashboard and what it summarises: severity chart, destinations, due dates, priorities, fix links."""

from __future__ import annotations

import re
from datetime import date, timedelta

from register.compliance import assess_register
from register.compliance.model import Agreement, FindingSubject, Processor, SubProcessor
from register.compliance.results import SeverityCounts
from register.store import changes
from register.web.pages import links, summaries
from tests.test_pages_support import seeded, signed_in  # noqa: F401  (fixtures)

TODAY = date(2026, 11, 29)


def test_the_dashboard_shows_score_chart_destinations_due_and_requests(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(dpo.organisation).text
    assert re.search(r'<svg class="chart"[^>]*role="img"', page)
    assert page.count('class="bar-track"') == 4 and 'class="bar-fill"' in page
    assert re.search(r'class="gauge-text">\d+</text>', page)
    assert 'id="destinations-heading"' in page and "Garantie manquante" in page
    assert 'id="due-heading"' in page and 'id="pending-heading"' in page
    assert "Candidate SAS" in page  # the pending request
    assert 'id="priorities"' in page and 'data-code="' in page
    assert " style=" not in page and "<style" not in page  # CSP: no inline style


def test_the_dashboard_in_an_empty_organisation(signed_in, run):
    dpo = signed_in("dpo")
    organisation = run(changes.create_organisation({"name": "Empty SARL", "country": "FR"}, "test"))
    from register.accounts.store import set_membership, user_id_by_email
    from register.vocabulary import Role

    run(set_membership(run(user_id_by_email(dpo.email)), organisation.id, Role.DPO))
    page = dpo.browser.get(f"/organisations/{organisation.id}").text
    assert 'class="gauge-text">100<' in page
    assert "Aucun flux enregistré." in page and "Rien à échéance" in page


def test_severity_bars_scale_to_the_largest_count():
    bars = summaries.severity_bars(SeverityCounts(critical=2, high=4, medium=0, low=1))
    assert [b.severity for b in bars] == ["critical", "high", "medium", "low"]
    assert bars[1].width == summaries.BAR_SPACE and bars[0].width == summaries.BAR_SPACE // 2
    assert bars[2].width == 0 and bars[3].width >= 2
    assert [b.width for b in summaries.severity_bars(SeverityCounts())] == [0, 0, 0, 0]


def processor(pid: int, **values) -> Processor:
    return Processor(id=pid, organisation_id=1, legal_name=f"P{pid}", **values)


def test_destinations_count_processors_and_put_gaps_first():
    register = [
        processor(1, headquarters_country="FR", sub_processors=(SubProcessor(id=10, name="Ops", countries=("IN",)),)),
        processor(2, headquarters_country="IN"),
        processor(3, headquarters_country="JP"),
    ]
    places = summaries.destinations(assess_register(register, as_of=TODAY))
    assert places[0].country == "IN" and places[0].status == "gap" and places[0].processor_count == 2
    assert {p.country: p.status for p in places} == {"IN": "gap", "JP": "adequacy", "FR": "eea"}
    assert places[-1].country == "FR"


def test_falling_due_lists_reviews_and_agreement_ends_within_90_days():
    register = [
        processor(1, next_review_on=TODAY - timedelta(days=3)),
        processor(2, next_review_on=TODAY + timedelta(days=90)),
        processor(3, next_review_on=TODAY + timedelta(days=91)),
        processor(4, agreement=Agreement(id=1, ends_on=TODAY + timedelta(days=10))),
        processor(5, agreement=Agreement(id=2, ends_on=TODAY - timedelta(days=1))),
    ]
    due = summaries.falling_due(register, TODAY)
    assert [(d.processor_id, d.kind, d.overdue) for d in due] == [
        (1, "review", True), (4, "agreement_end", False), (2, "review", False),
    ]


def test_first_to_fix_takes_critical_then_high():
    register = [processor(1, headquarters_country="IN"), processor(2, headquarters_country="FR")]
    urgent = summaries.first_to_fix(assess_register(register, as_of=TODAY).findings, limit=50)
    severities = [f.severity.value for f in urgent]
    assert severities == sorted(severities, key=["critical", "high"].index) and "critical" in severities


def test_each_finding_links_to_what_fixes_it():
    sub = SubProcessor(id=7, name="IndiaOps", countries=("IN",))
    record = processor(5, headquarters_country="FR", sub_processors=(sub,))
    findings = {f.code: f for f in assess_register([record], as_of=TODAY).findings}
    assert links.fix_link(findings["TRANSFER_NO_SAFEGUARD"], record).url == (
        "/processors/5/safeguards/new?country=IN&sub_processor_id=7&mechanism=scc_2021&scc_module=3"
    )
    assert links.fix_link(findings["DPA_MISSING"], record).url == "/processors/5/agreement#field-signed_on"
    assert links.fix_link(findings["RETENTION_UNLIMITED"], record).url == "/processors/5/edit#field-retention_months"
    assert links.fix_link(findings["SUBPROCESSOR_FLOWDOWN_UNKNOWN"], record).url == (
        "/processors/5/sub-processors/7/edit#field-flowdown"
    )
    assert links.fix_link(findings["DPA_MISSING"], None) is None


def test_a_clause_finding_links_to_its_checklist_item():
    record = processor(5, agreement=Agreement(id=1, signed_on=TODAY))
    finding = next(f for f in assess_register([record], as_of=TODAY).findings if f.subject.kind == "clause")
    assert links.fix_link(finding, record).url == f"/processors/5/agreement/clauses#item-{finding.subject.ref}"
    assert isinstance(finding.subject, FindingSubject)


def test_the_findings_page_filters_and_links(signed_in):
    dpo = signed_in("dpo")
    page = dpo.browser.get(f"{dpo.organisation}/findings?severity=critical").text
    severities = set(re.findall(r'<li class="finding severity-(\w+)"', page))
    assert severities == {"critical"}
    assert "Ajouter une garantie de transfert" in page or "Corriger la garantie" in page
    one = dpo.browser.get(f"{dpo.organisation}/findings?code=DPA_CLAUSE_UNASSESSED").text
    assert set(re.findall(r'data-code="(\w+)"', one)) == {"DPA_CLAUSE_UNASSESSED"}  # some, and only those
    auditor = signed_in("auditor")
    read_only = auditor.browser.get(f"{auditor.organisation}/findings").text
    assert "Voir le sous-traitant" in read_only and "/safeguards/new" not in read_only
