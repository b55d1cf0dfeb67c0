"""The JSON API under /api/v1 (OpenAPI at /schema)."""

from register.web.api.assessment import AssessmentController
from register.web.api.documents import DocumentController
from register.web.api.imports import IMPORT_CONTROLLERS
from register.web.api.library import LIBRARY_CONTROLLERS
from register.web.api.files import AgreementFileController, DpaReadingController
from register.web.api.notices import NoticeController
from register.web.api.organisations import OrganisationController
from register.web.api.portfolio import PortfolioController
from register.web.api.procurement import ProcurementController
from register.web.api.questionnaires import QuestionnaireController
from register.web.api.tasks import MyTaskController, TaskController
from register.web.api.tokens import MemberTokenController, TokenController
from register.web.api.processors import (
    AgreementController,
    OwnedRecordsController,
    ProcessorController,
    RegisterProcessorsController,
)

API_CONTROLLERS = [
    OrganisationController,
    RegisterProcessorsController,
    ProcessorController,
    OwnedRecordsController,
    AgreementController,
    AgreementFileController,
    DpaReadingController,
    AssessmentController,
    TokenController,
    MemberTokenController,
    ProcurementController,
    NoticeController,
    DocumentController,
    *IMPORT_CONTROLLERS,
    TaskController,
    MyTaskController,
    PortfolioController,
    *LIBRARY_CONTROLLERS,
    QuestionnaireController,
]
