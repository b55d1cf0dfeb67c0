"""Read-only HTML pages (the full UI comes with the web app issue)."""

from __future__ import annotations

from litestar import get
from litestar.params import FromPath
from litestar.response import Template

from register.store import reads


@get("/", include_in_schema=False)
async def home() -> Template:
    organisations = await reads.list_organisations()
    return Template(template_name="home.html", context={"organisations": organisations})


@get("/organisations/{organisation_id:int}", include_in_schema=False)
async def organisation_register(organisation_id: FromPath[int]) -> Template:
    organisation = await reads.load_organisation(organisation_id)
    processors = await reads.load_register(organisation_id)
    return Template(
        template_name="register.html",
        context={"organisation": organisation, "processors": processors},
    )


PAGE_HANDLERS = [home, organisation_register]
