"""Read-only HTML pages (the full UI comes with the web app issue)."""

from __future__ import annotations

from litestar import Request, get
from litestar.params import FromPath
from litestar.response import Template

from register.store import reads
from register.web.access import SIGNED_IN, Permission, requires


@get("/", include_in_schema=False, opt=SIGNED_IN)
async def home(request: Request) -> Template:
    organisations = await reads.list_organisations_of(list(request.user.memberships))
    return Template(template_name="home.html", context={"organisations": organisations})


@get("/organisations/{organisation_id:int}", include_in_schema=False, opt=requires(Permission.READ_REGISTER))
async def organisation_register(organisation_id: FromPath[int]) -> Template:
    organisation = await reads.load_organisation(organisation_id)
    processors = await reads.load_register(organisation_id)
    return Template(
        template_name="register.html",
        context={"organisation": organisation, "processors": processors},
    )


PAGE_HANDLERS = [home, organisation_register]
