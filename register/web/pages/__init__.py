"""The web app's pages (server-rendered HTML forms; every core action works without JavaScript).

``PAGE_HANDLERS`` is one router: its exception handlers answer refusals
(403, 404) and store errors with an HTML page.
"""

from __future__ import annotations

from litestar import Router

from register.web.pages.account import ACCOUNT_HANDLERS
from register.web.pages.administration import ADMINISTRATION_HANDLERS
from register.web.pages.agreement_files import AGREEMENT_FILE_HANDLERS
from register.web.pages.dashboard import DASHBOARD_HANDLERS
from register.web.pages.documents import DOCUMENT_HANDLERS
from register.web.pages.errors import PAGE_EXCEPTION_HANDLERS
from register.web.pages.findings import FINDING_HANDLERS
from register.web.pages.dpf import DPF_HANDLERS
from register.web.pages.history import HISTORY_HANDLERS
from register.web.pages.home import HOME_HANDLERS
from register.web.pages.imports import IMPORT_PAGE_HANDLERS
from register.web.pages.library import LIBRARY_PAGE_HANDLERS
from register.web.pages.notices import NOTICE_HANDLERS
from register.web.pages.portfolio import PORTFOLIO_HANDLERS
from register.web.pages.processors import PROCESSOR_HANDLERS
from register.web.pages.procurement import PROCUREMENT_HANDLERS
from register.web.pages.records import RECORD_HANDLERS
from register.web.pages.tasks import TASK_HANDLERS
from register.web.pages.calendar import CALENDAR_HANDLERS
from register.web.pages.questionnaires import QUESTIONNAIRE_HANDLERS

PAGES = Router(
    path="/",
    route_handlers=[
        *HOME_HANDLERS,
        *DASHBOARD_HANDLERS,
        *PROCESSOR_HANDLERS,
        *RECORD_HANDLERS,
        *AGREEMENT_FILE_HANDLERS,
        *FINDING_HANDLERS,
        *PROCUREMENT_HANDLERS,
        *IMPORT_PAGE_HANDLERS,
        *NOTICE_HANDLERS,
        *DOCUMENT_HANDLERS,
        *HISTORY_HANDLERS,
        *DPF_HANDLERS,
        *ADMINISTRATION_HANDLERS,
        *ACCOUNT_HANDLERS,
        *TASK_HANDLERS,
        *CALENDAR_HANDLERS,
        *PORTFOLIO_HANDLERS,
        *LIBRARY_PAGE_HANDLERS,
        *QUESTIONNAIRE_HANDLERS,
    ],
    exception_handlers=PAGE_EXCEPTION_HANDLERS,
    include_in_schema=False,
)
PAGE_HANDLERS = [PAGES]
