"""Vendor questionnaires through the API: create a link, list, revoke, read a proposal, decide."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any, Literal

import msgspec
from litestar import Controller, Request, get, post
from litestar.di import NamedDependency
from litestar.params import FromPath, JSONBody

from register.intake.questionnaire import INFORMATION_FIELDS, FieldChange, parse_edit
from register.reference import load_reference
from register.schemas import NO_NUL, Version
from register.settings import questionnaire_settings
from register.store import questionnaires, reads
from register.store.errors import InvalidReference
from register.store.questionnaires import FieldDecision, Questionnaire
from register.web.access import Access, Permission, requires
from register.web.questionnaires import InvitationEmail, invitation_email, questionnaire_url


class QuestionnaireInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    language: Literal["fr", "en"] = "fr"
    recipient: Annotated[str, msgspec.Meta(max_length=254, pattern=NO_NUL)] = ""


class FieldDecisionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    decision: Literal["accept", "edit", "reject"]
    # for "edit": the value in the review form's text form (countries "FR, DE"; sub-processors one a
    # line "name | countries | purpose"; certifications one a line; yes/no; hours)
    value: Annotated[str, msgspec.Meta(max_length=20_000, pattern=NO_NUL)] | None = None


class DecisionInput(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    version: Version
    decisions: dict[str, FieldDecisionInput]


@dataclass(frozen=True, slots=True)
class CreatedQuestionnaire:
    """The new link: ``url`` and ``token`` are shown this once (only a digest is kept)."""

    questionnaire: Questionnaire
    url: str
    token: str
    email: InvitationEmail


@dataclass(frozen=True, slots=True)
class FieldChangeOut:
    name: str
    current: Any
    proposed: Any
    changed: bool


@dataclass(frozen=True, slots=True)
class ProposalOut:
    questionnaire: Questionnaire
    changes: tuple[FieldChangeOut, ...]  # what the answers propose for the register: old → new
    information: dict[str, Any]  # answers the register has no field for (security contact, transfer tools)


def _out(change: FieldChange) -> FieldChangeOut:
    return FieldChangeOut(change.name, change.current, change.proposed, change.changed)


async def proposal_out(organisation_id: int, questionnaire_id: int) -> ProposalOut:
    proposal = await questionnaires.load_proposal(organisation_id, questionnaire_id)
    answers = proposal.questionnaire.answers
    return ProposalOut(
        proposal.questionnaire,
        tuple(_out(change) for change in proposal.changes),
        {name: answers.get(name) for name in INFORMATION_FIELDS} if proposal.questionnaire.status != "open" else {},
    )


def field_decisions(data: DecisionInput) -> dict[str, FieldDecision]:
    countries = load_reference().countries
    decided = {}
    for name, choice in data.decisions.items():
        value = None
        if choice.decision == "edit":
            if choice.value is None:
                raise InvalidReference(f"decisions.{name}.value", "give the value to record")
            try:
                value = parse_edit(name, choice.value, countries)
            except ValueError as problem:
                raise InvalidReference(f"decisions.{name}.value", str(problem)) from None
        decided[name] = FieldDecision(choice.decision, value)
    return decided


class QuestionnaireController(Controller):
    path = "/api/v1"
    tags = ["vendor questionnaires"]

    @post("/processors/{processor_id:int}/questionnaires", opt=requires(Permission.EDIT_REGISTER))
    async def create(
        self, request: Request, processor_id: FromPath[int], data: JSONBody[QuestionnaireInput],
        access: NamedDependency[Access],
    ) -> CreatedQuestionnaire:
        """A questionnaire link for the processor's vendor (expires after ``QUESTIONNAIRE_EXPIRY_DAYS``),
        with the invitation e-mail in the chosen language. The token is never shown again."""
        questionnaire, token = await questionnaires.create_questionnaire(
            access.organisation_id, processor_id, data.language, data.recipient,
            questionnaire_settings().expiry_days, access.actor,
        )
        url = questionnaire_url(request, token, questionnaire.language)
        processor = await reads.load_processor(processor_id, access.organisation_id)
        email = invitation_email(
            questionnaire, url, await questionnaires.organisation_name(access.organisation_id), processor.legal_name,
            access.account.display_name or access.account.email,
        )
        return CreatedQuestionnaire(questionnaire, url, token, email)

    @get("/processors/{processor_id:int}/questionnaires", opt=requires(Permission.READ_REGISTER))
    async def list_questionnaires(self, processor_id: FromPath[int], access: NamedDependency[Access]) -> list[Questionnaire]:
        """The processor's questionnaires, newest first (never their tokens)."""
        return await questionnaires.list_questionnaires(access.organisation_id, processor_id)

    @get("/questionnaires/{questionnaire_id:int}", opt=requires(Permission.READ_REGISTER))
    async def get_questionnaire(self, questionnaire_id: FromPath[int], access: NamedDependency[Access]) -> ProposalOut:
        """The questionnaire and, once submitted, its proposal field by field (register value → vendor's value)."""
        return await proposal_out(access.organisation_id, questionnaire_id)

    @post("/questionnaires/{questionnaire_id:int}/revoke", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def revoke(self, questionnaire_id: FromPath[int], access: NamedDependency[Access]) -> Questionnaire:
        """Stop the link at once (revoking twice changes nothing)."""
        return await questionnaires.revoke_questionnaire(access.organisation_id, questionnaire_id, access.actor)

    @post("/questionnaires/{questionnaire_id:int}/decision", status_code=200, opt=requires(Permission.EDIT_REGISTER))
    async def decide(
        self, questionnaire_id: FromPath[int], data: JSONBody[DecisionInput], access: NamedDependency[Access]
    ) -> ProposalOut:
        """Accept, edit or reject each proposed field (a field not named is rejected); the accepted and edited
        ones are applied in one audited transaction; 409 when the proposal was decided or changed meanwhile."""
        await questionnaires.decide_proposal(
            access.organisation_id, questionnaire_id, data.version, field_decisions(data), access.actor
        )
        return await proposal_out(access.organisation_id, questionnaire_id)
