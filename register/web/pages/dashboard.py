"""An organisation's dashboard: score, findings by severity, where the data
goes, what falls due, procurement requests waiting. Procurement users, who
may not read the register, see their requests instead."""

from __future__ import annotations

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath
from litestar.response import Template

from register.compliance.remediation import TaskState
from register.store.procurement import list_procurement_requests
from register.store.tasks import task_views
from register.verdicts import verdicts_for
from register.vocabulary import ProcurementStatus
from register.web.access import Access, Permission, requires
from register.web.pages.common import assessed_register, render, today
from register.web.pages.links import fix_link
from register.web.pages.summaries import (
    CHART_BAR,
    CHART_LABEL,
    CHART_WIDTH,
    chart_height,
    destinations,
    falling_due,
    first_to_fix,
    score_gauge,
    severity_bars,
)


@get("/organisations/{organisation_id:int}", include_in_schema=False, opt=requires(Permission.MEMBER))
async def dashboard(request: Request, organisation_id: FromPath[int], access: NamedDependency[Access]) -> Template:
    if not access.allows(Permission.READ_REGISTER):
        return await procurement_home(request, access)
    as_of = today()
    register, assessment = await assessed_register(organisation_id)
    pending = await list_procurement_requests(organisation_id, ProcurementStatus.PENDING.value)
    by_id = {p.id: p for p in register}
    priorities = first_to_fix(assessment.findings)
    tasks = await task_views(organisation_id, as_of)
    return await render(
        request,
        "dashboard.html",
        access,
        section="dashboard",
        assessment=assessment,
        gauge=score_gauge(assessment.score),
        bars=severity_bars(assessment.counts),
        chart={"width": CHART_WIDTH, "height": chart_height(), "label": CHART_LABEL, "bar": CHART_BAR},
        destinations=destinations(assessment),
        due=falling_due(register, as_of),
        pending=pending,
        worst=[p for p in assessment.processors if p.counts.total][:5],
        priorities=priorities,
        priority_fixes=[fix_link(f, by_id.get(f.processor_id)) for f in priorities],
        processor_count=len(register),
        overdue_tasks=sorted((v for v in tasks if v.overdue), key=lambda v: (v.task.due_on, v.task.id)),
        accepted_count=sum(v.state is TaskState.ACCEPTED for v in tasks),
    )


async def procurement_home(request: Request, access: Access) -> Template:
    requests = await list_procurement_requests(access.organisation_id)
    verdicts = await verdicts_for(access.organisation_id, requests, today())
    return await render(
        request,
        "procurement_home.html",
        access,
        section="dashboard",
        requests=list(zip(requests, verdicts, strict=True)),
    )


DASHBOARD_HANDLERS = [dashboard]
