"""The portfolio of a DPO firm: 50 client organisations × 100 processors.

    python bench/portfolio.py [ORGANISATIONS] [PROCESSORS]

Builds, in a fresh database (a temporary SQLite file, or BENCH_DATABASE_URL,
which it wipes), ORGANISATIONS clients (default 50) of PROCESSORS processors
each (default 100) with a realistic mix: lifecycle statuses, headquarters and
locations in and out of the EEA, sub-processors, DPAs (most with every
Art. 28(3) item assessed, some ending within 90 days, some missing), transfer
safeguards, reviews overdue and due, remediation tasks (some overdue), pending
procurement requests and pending sub-processor notices. One user is DPO of
most clients, admin, auditor or procurement of the others.

Timed in the app's event loop (no network), medians of several runs:

- GET /portfolio (the page) and GET /api/v1/portfolio: cold (every cache
  emptied: each client's register loaded and assessed), after a change in one
  client (only that client recomputed), warm (target: < 1 s);
- baselines in the same run: the naive per-organisation path (for each client,
  what its dashboard asks: the assessed register from the revision caches,
  pending requests, task states, pending notices — one round of queries per
  client, with caches large enough to hold all 50 registers), and the
  single-organisation dashboard page, warm.
"""

from __future__ import annotations

import asyncio
import logging
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BENCH_URL = os.environ.get("BENCH_DATABASE_URL")
_tmp = Path(tempfile.mkdtemp(prefix="register-bench-portfolio-"))
os.environ["DATABASE_URL"] = BENCH_URL or f"sqlite:///{_tmp / 'bench.sqlite'}"
os.environ.setdefault("SECRET_KEY", "bench-only-secret")
# Room for every client's register and assessment, so the naive baseline is at its best
# (the portfolio's own warm path does not depend on these caches: it keeps its figures).
os.environ.setdefault("CACHE_REGISTERS", "128")
os.environ.setdefault("CACHE_ASSESSMENTS", "128")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx  # noqa: E402

from synthetic import fresh_database, insert_chunked  # noqa: E402
from register.accounts.store import create_api_token, create_user, open_session, set_membership  # noqa: E402
from register.app import create_app  # noqa: E402
from register.compliance.remediation import finding_key  # noqa: E402
from register.database import DATABASE  # noqa: E402
from register.reference import load_reference  # noqa: E402
from register.store import changes, snapshots  # noqa: E402
from register.store.procurement import list_procurement_requests  # noqa: E402
from register.store.tasks import task_views  # noqa: E402
from register.tables import (  # noqa: E402
    Agreement,
    ClauseAssessment,
    Organisation,
    ProcessingLocation,
    Processor,
    ProcurementRequest,
    RemediationTask,
    SubProcessor,
    SubProcessorNotice,
    TransferSafeguard,
)
from register.vocabulary import NoticeStatus, ProcurementStatus, Role  # noqa: E402
from register.web.authentication import SESSION_COOKIE  # noqa: E402

RUNS = 5
TODAY = date.today()
EEA = ["FR", "DE", "IE", "NL", "ES", "IT", "BE", "SE"]
ELSEWHERE = ["US", "GB", "CH", "JP", "CA", "IN", "BR", "SG", "CN"]
STATUSES = ["approved"] * 14 + ["under_review"] * 2 + ["proposed"] * 2 + ["offboarded", "rejected"]
logging.getLogger("httpx").setLevel(logging.WARNING)


def country(rng: random.Random) -> str:
    return rng.choice(EEA) if rng.random() < 0.65 else rng.choice(ELSEWHERE)


async def seed(organisations: int, per_organisation: int) -> list[int]:
    """The clients and their registers, inserted in chunks (a few seconds, not audited)."""
    rng = random.Random(2026)
    items = load_reference().art28_item_ids()
    client_ids = []
    for number in range(organisations):
        inserted = await Organisation.insert(
            Organisation(name=f"Client {number:02d} SAS", country="FR", revision=rng.getrandbits(60))
        ).returning(Organisation.id)
        client_ids.append(inserted[0]["id"])
    await insert_chunked(Processor, [
        Processor(
            organisation=client, legal_name=f"Vendor {client}-{i:03d}", headquarters_country=country(rng),
            status=rng.choice(STATUSES), prospection_use=rng.choice(["none", "none", "b2b", "b2c"]),
            opt_out_offered=rng.random() < 0.8, prior_consent_collected=rng.random() < 0.7,
            retention_months=rng.choice([None, 12, 36, 60]), security_measures=rng.choice(["", "TLS, encryption at rest"]),
            dpf_certified=rng.random() < 0.5, dpf_checked_on=TODAY - timedelta(days=rng.randint(0, 500)),
            next_review_on=TODAY + timedelta(days=rng.randint(-120, 300)), data_categories=["identity", "e-mail"],
        )
        for client in client_ids for i in range(per_organisation)
    ])  # fmt: skip
    processors = await Processor.select(Processor.id, Processor.organisation).order_by(Processor.id)
    await insert_chunked(ProcessingLocation, [
        ProcessingLocation(processor=p["id"], country=country(rng)) for p in processors for _ in range(2)
    ])
    await insert_chunked(SubProcessor, [
        SubProcessor(processor=p["id"], name=f"Sub {p['id']}-{k}", countries=[country(rng)],
                     flowdown=rng.choice(["yes", "no", "unknown"]))
        for p in processors for k in range(3)
    ])  # fmt: skip
    with_agreement = [p for p in processors if rng.random() < 0.9]
    await insert_chunked(Agreement, [
        Agreement(
            processor=p["id"], signed_on=TODAY - timedelta(days=400), effective_on=TODAY - timedelta(days=400),
            ends_on=TODAY + timedelta(days=rng.randint(-30, 1200)), sub_processor_authorisation="general",
            objection_notice_days=30, breach_notice_hours=rng.choice([None, 24, 48, 72]),
        )
        for p in with_agreement
    ])  # fmt: skip
    agreements = await Agreement.select(Agreement.id)
    await insert_chunked(ClauseAssessment, [
        ClauseAssessment(agreement=a["id"], item=item, status=rng.choice(["present", "present", "partial", "absent"]))
        for a in agreements for item in items
    ])  # fmt: skip
    await insert_chunked(TransferSafeguard, [
        TransferSafeguard(processor=p["id"], country=rng.choice(ELSEWHERE), mechanism=rng.choice(["scc_2021", "dpf", "bcr"]),
                          scc_module=2, tia_on=TODAY - timedelta(days=rng.randint(0, 700)))
        for p in processors if rng.random() < 0.6
    ])  # fmt: skip
    by_client: dict[int, list[int]] = {}
    for p in processors:
        by_client.setdefault(p["organisation"], []).append(p["id"])
    await insert_chunked(ProcurementRequest, [
        ProcurementRequest(organisation=client, tool_name=f"Tool {client}-{k}", purpose="Sales",
                           status=ProcurementStatus.PENDING.value, candidate={"legal_name": f"Tool {client}-{k}"})
        for client in client_ids for k in range(rng.randint(0, 3))
    ])  # fmt: skip
    await insert_chunked(SubProcessorNotice, [
        SubProcessorNotice(organisation=client, processor=rng.choice(by_client[client]), received_on=TODAY,
                           source="pasted", status=NoticeStatus.PENDING.value)
        for client in client_ids for _ in range(rng.randint(0, 2))
    ])  # fmt: skip
    return client_ids


async def seed_tasks(client_ids: list[int]) -> int:
    """Ten remediation tasks per client on real findings, a third of them overdue."""
    rows = []
    for client in client_ids:
        _, assessment = await snapshots.register_assessment(client, TODAY)
        keys = list(dict.fromkeys(k for k in map(finding_key, assessment.findings) if k))[:10]
        rows += [
            RemediationTask(organisation=client, processor=k.processor_id, finding_code=k.code, subject_kind=k.subject_kind,
                            subject_ref=k.subject_ref, due_on=TODAY + timedelta(days=(i % 3) * 20 - 10))
            for i, k in enumerate(keys)
        ]  # fmt: skip
    await insert_chunked(RemediationTask, rows)
    return len(rows)


async def naive_portfolio(client_ids: list[int]) -> list[tuple[int, int, int, int, int]]:
    """The baseline: each client's figures the way its dashboard gets them, client after client."""
    figures = []
    for client in client_ids:
        _, assessment = await snapshots.register_assessment(client, TODAY)
        pending = await list_procurement_requests(client, ProcurementStatus.PENDING.value)
        views = await task_views(client, TODAY)
        notices = await SubProcessorNotice.count().where(
            (SubProcessorNotice.organisation == client) & (SubProcessorNotice.status == NoticeStatus.PENDING.value)
        )
        figures.append((assessment.score, assessment.counts.critical, len(pending), sum(v.overdue for v in views), notices))
    return figures


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


async def main(organisations: int, per_organisation: int) -> None:
    await fresh_database()
    start = time.perf_counter()
    client_ids = await seed(organisations, per_organisation)
    task_count = await seed_tasks(client_ids)
    seeded_in = time.perf_counter() - start
    user_id = await create_user("dpo@firm.invalid", "bench-password-not-used", "Firm DPO")
    roles = [Role.DPO] * (organisations - 10) + [Role.ADMIN] * 5 + [Role.AUDITOR] * 2 + [Role.PROCUREMENT] * 3
    for client, role in zip(client_ids, roles[-organisations:] if organisations >= 10 else [Role.DPO] * organisations):
        await set_membership(user_id, client, role)
    session = await open_session(user_id)
    token = await create_api_token(user_id, "bench")
    app = create_app(connection_pool=DATABASE.engine == "postgres")
    print(f"database: {DATABASE.description}; {organisations} organisations x {per_organisation} processors, "
          f"{task_count} tasks (seeded in {seeded_in:.1f} s)")
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://bench", cookies={SESSION_COOKIE: session}
    ) as browser, httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://bench", headers={"Authorization": f"Bearer {token}"}
    ) as api:

        async def timed(client: httpx.AsyncClient, url: str) -> float:
            begin = time.perf_counter()
            response = await client.get(url)
            response.raise_for_status()
            return time.perf_counter() - begin

        page = await browser.get("/portfolio")
        assert page.text.count("<tr data-organisation=") == organisations, "the page lists every client"
        answer = (await api.get("/api/v1/portfolio")).json()
        assert len(answer["organisations"]) == organisations
        results: dict[str, list[float]] = {key: [] for key in (
            "page_cold", "page_changed", "page_warm", "api_cold", "api_changed", "api_warm",
            "naive_cold", "naive_warm", "dashboard_warm", "docx_warm", "xlsx_warm",
        )}  # fmt: skip
        dashboard = f"/organisations/{client_ids[0]}"
        for number in range(RUNS):
            snapshots.clear_caches()
            results["page_cold"].append(await timed(browser, "/portfolio"))
            await changes.create_processor(client_ids[number], {"legal_name": f"Newcomer {number}"}, "bench")
            results["page_changed"].append(await timed(browser, "/portfolio"))
            results["page_warm"].append(statistics.median([await timed(browser, "/portfolio") for _ in range(3)]))
            snapshots.clear_caches()
            results["api_cold"].append(await timed(api, "/api/v1/portfolio"))
            await changes.create_processor(client_ids[-1 - number], {"legal_name": f"Late {number}"}, "bench")
            results["api_changed"].append(await timed(api, "/api/v1/portfolio"))
            results["api_warm"].append(statistics.median([await timed(api, "/api/v1/portfolio") for _ in range(3)]))
            snapshots.clear_caches()
            begin = time.perf_counter()
            await naive_portfolio(client_ids)
            results["naive_cold"].append(time.perf_counter() - begin)
            begin = time.perf_counter()
            await naive_portfolio(client_ids)
            results["naive_warm"].append(time.perf_counter() - begin)
            await timed(browser, dashboard)
            results["dashboard_warm"].append(statistics.median([await timed(browser, dashboard) for _ in range(3)]))
            await timed(browser, "/portfolio")
            results["docx_warm"].append(await timed(browser, "/portfolio/report.docx"))
            results["xlsx_warm"].append(await timed(browser, "/portfolio/report.xlsx"))
    figures = {key: median_ms(values) for key, values in results.items()}
    print(f"portfolio page, cold (caches emptied: {organisations} registers loaded + assessed) {figures['page_cold']:8.0f} ms")
    print(f"portfolio page, after a change in one client                          {figures['page_changed']:8.0f} ms")
    print(f"portfolio page, warm                                                  {figures['page_warm']:8.0f} ms (target < 1000 ms)")
    print(f"portfolio API, cold                                                   {figures['api_cold']:8.0f} ms")
    print(f"portfolio API, after a change in one client                           {figures['api_changed']:8.0f} ms")
    print(f"portfolio API, warm                                                   {figures['api_warm']:8.0f} ms")
    print(f"portfolio report .docx / .xlsx, warm                                  {figures['docx_warm']:8.0f} / {figures['xlsx_warm']:.0f} ms")
    print(f"baseline: naive per-organisation path, cold                           {figures['naive_cold']:8.0f} ms")
    print(f"baseline: naive per-organisation path, warm (registers cached)        {figures['naive_warm']:8.0f} ms")
    print(f"baseline: one organisation's dashboard page, warm                     {figures['dashboard_warm']:8.0f} ms")
    print(f"warm page vs naive warm path: {figures['naive_warm'] / figures['page_warm']:.1f}x faster; "
          f"vs one dashboard: {figures['page_warm'] / figures['dashboard_warm']:.1f}x its time for {organisations} clients")


if __name__ == "__main__":
    arguments = [int(a) for a in sys.argv[1:3] if a.isdigit()]
    asyncio.run(main(*(arguments + [50, 100][len(arguments):])))
