"""The register's gaps: every finding, filterable, each linking to what fixes it."""

from __future__ import annotations

from typing import Annotated

from litestar import Request, get
from litestar.di import NamedDependency
from litestar.params import FromPath, QueryParameter
from litestar.response import Template

from register.compliance.remediation import TaskState, finding_key
from register.compliance.scoring import count_by_severity
from register.store.tasks import task_views
from register.vocabulary import Severity
from register.web.access import Access, Permission, requires
from register.web.pages.common import assessed_register, render
from register.web.pages.links import fix_link
from register.web.pages.tasks import owner_choices
from register.web.pages.summaries import FindingQuery, finding_codes, paginate, select_findings

FINDINGS_PER_PAGE = 50


@get("/organisations/{organisation_id:int}/findings", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def findings_page(
    request: Request,
    organisation_id: FromPath[int],
    access: NamedDependency[Access],
    severity: Annotated[str, QueryParameter(max_length=20)] = "",
    code: Annotated[str, QueryParameter(max_length=60)] = "",
    processor: Annotated[str, QueryParameter(max_length=12)] = "",
    page: Annotated[int, QueryParameter(ge=1, le=1_000_000)] = 1,
) -> Template:
    register, assessment = await assessed_register(organisation_id)
    everything = assessment.findings
    query = FindingQuery(
        severity=severity if severity in Severity._value2member_map_ else "",
        code=code if code in finding_codes(everything) else "",
        processor=int(processor) if processor.isdigit() else None,
        page=page,
    )
    selected = select_findings(everything, query)
    by_id = {p.id: p for p in register}
    paged = paginate(selected, query.page, FINDINGS_PER_PAGE)
    # Each finding's task (state derived from this same assessment), by the finding's token.
    views = {v.task.key.token: v for v in await task_views(organisation_id, assessment.as_of)}
    keys = [finding_key(f) for f in paged.rows]
    return await render(
        request,
        "findings.html",
        access,
        section="findings",
        query=query,
        paged=paged,
        counts=count_by_severity(selected),
        assessment=assessment,
        codes=finding_codes(everything),
        processors=sorted(register, key=lambda p: p.display_name.casefold()),
        fixes=[fix_link(f, by_id.get(f.processor_id)) for f in paged.rows],
        severities=[s.value for s in Severity],
        tasks=[views.get(k.token) if k else None for k in keys],
        tokens=[k.token if k else "" for k in keys],
        accepted_count=sum(v.state is TaskState.ACCEPTED for v in views.values()),
        owners=await owner_choices(organisation_id) if access.allows(Permission.EDIT_REGISTER) else [],
    )


FINDING_HANDLERS = [findings_page]
