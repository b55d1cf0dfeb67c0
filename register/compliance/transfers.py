"""Transfers to third countries (GDPR Chapter V), following reference §4.

Two steps:

1. :func:`data_flows` lists every country a processor's data reaches: the
   processor's own locations (its headquarters only when no location is
   recorded), each sub-processor's countries and, when a sub-processor is
   itself in the register, that record's own locations and sub-processors,
   followed as a chain. Each registered processor is expanded at most once per
   assessed processor, so a loop (A → B → A) terminates and the work stays
   linear in the size of the chain.
2. :func:`assess_flow` applies the decision rule to one flow and returns its
   :class:`TransferRoute` with the findings it raises: EEA → no tool; general
   adequacy → none; US → the DPF for a certified recipient, else a safeguard;
   Canada → adequacy within PIPEDA's scope, else a safeguard; anything else →
   SCCs 2021, BCRs, a UK tool (for flows to the UK only) or an Art. 49
   derogation. When several tools are recorded for one flow, the one leaving
   the flow covered with the lightest findings is relied on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from register.compliance.context import Destination, RuleContext
from register.compliance.dates import older_than_months
from register.compliance.findings import processor_subject
from register.compliance.model import (
    Finding,
    FindingSubject,
    Localised,
    Processor,
    Safeguard,
    SubProcessor,
)
from register.compliance.results import TransferRoute
from register.compliance.scoring import SEVERITY_WEIGHTS
from register.vocabulary import ProcessorRole, TransferMechanism

US, CANADA, UNITED_KINGDOM = "US", "CA", "GB"
MODULE_C2C, MODULE_C2P, MODULE_P2P = 1, 2, 3
UK_TOOLS = frozenset({TransferMechanism.UK_IDTA, TransferMechanism.UK_ADDENDUM})

MECHANISM_NAMES: Mapping[TransferMechanism, Localised] = {
    TransferMechanism.ADEQUACY: Localised("adequacy decision", "décision d'adéquation"),
    TransferMechanism.DPF: Localised("EU-U.S. Data Privacy Framework", "Data Privacy Framework UE–États-Unis"),
    TransferMechanism.SCC_2021: Localised("2021 SCCs", "CCT de 2021"),
    TransferMechanism.SCC_PRE_2021: Localised("pre-2021 SCCs", "CCT antérieures à 2021"),
    TransferMechanism.BCR: Localised("binding corporate rules", "règles d'entreprise contraignantes"),
    TransferMechanism.UK_IDTA: Localised("UK IDTA", "IDTA britannique"),
    TransferMechanism.UK_ADDENDUM: Localised("UK Addendum", "avenant britannique (UK Addendum)"),
    TransferMechanism.ART49_DEROGATION: Localised("Art. 49 derogation", "dérogation de l'art. 49"),
}


@dataclass(frozen=True, slots=True)
class RecipientFacts:
    """What the record says about the recipient as a transfer destination."""

    dpf_certified: bool | None
    dpf_checked_on: date | None
    pipeda_scope: bool | None


@dataclass(frozen=True, slots=True)
class Flow:
    """Data reaching one country through one chain of recipients."""

    country: str  # normalised ISO code; "" when no country is recorded
    path: tuple[str, ...]  # recipients from the processor to the last one
    owner: Processor  # the record holding the last hop (the processor, or a registered one)
    hop: SubProcessor | None  # the last hop; None: the processor's own location
    first_hop: SubProcessor | None  # the processor's sub-processor the chain starts from
    facts: RecipientFacts
    expected_module: int  # the SCC module matching the parties' roles

    @property
    def label(self) -> str:
        return f"{' → '.join(self.path)} ({self.country or '?'})"


def normalise_country(code: str) -> str:
    return code.strip().upper()


def own_countries(processor: Processor) -> tuple[str, ...]:
    """Countries where the processor itself handles the data: its locations;
    its headquarters only when no location is recorded."""
    countries = [normalise_country(loc.country) for loc in processor.locations]
    if not countries and processor.headquarters_country:
        countries = [normalise_country(processor.headquarters_country)]
    return tuple(dict.fromkeys(c for c in countries if c))


def own_flow_module(processor: Processor) -> int:
    """The SCC module for the controller's flow to this processor."""
    if processor.role == ProcessorRole.JOINT_CONTROLLER:
        return MODULE_C2C
    if processor.role == ProcessorRole.SUB_PROCESSOR:
        return MODULE_P2P
    return MODULE_C2P


def _facts_of(processor: Processor) -> RecipientFacts:
    return RecipientFacts(processor.dpf_certified, processor.dpf_checked_on, processor.pipeda_scope)


def _sub_processor_facts(entry: SubProcessor, registered: Processor | None) -> RecipientFacts:
    """The sub-processor entry's facts, completed from its register record."""
    if registered is None:
        return RecipientFacts(entry.dpf_certified, entry.dpf_checked_on, entry.pipeda_scope)
    return RecipientFacts(
        entry.dpf_certified if entry.dpf_certified is not None else registered.dpf_certified,
        entry.dpf_checked_on if entry.dpf_checked_on is not None else registered.dpf_checked_on,
        entry.pipeda_scope if entry.pipeda_scope is not None else registered.pipeda_scope,
    )


def data_flows(processor: Processor, registry: Mapping[int, Processor] | None) -> list[Flow]:
    """Every (country, chain) the processor's data reaches, the processor's own
    flows first, then each sub-processor chain depth-first."""
    registry = registry or {}
    name = processor.display_name
    facts = _facts_of(processor)
    module = own_flow_module(processor)
    flows = [
        Flow(country, (name,), processor, None, None, facts, module)
        for country in own_countries(processor) or ("",)
    ]
    expanded = {processor.id}
    stack = [(processor, entry, entry, (name,)) for entry in reversed(processor.sub_processors)]
    while stack:
        owner, entry, first_hop, prefix = stack.pop()
        path = (*prefix, entry.name)
        registered = (
            registry.get(entry.registered_processor_id)
            if entry.registered_processor_id is not None
            else None
        )
        countries = [normalise_country(c) for c in entry.countries]
        if registered is not None:
            countries.extend(own_countries(registered))
        entry_facts = _sub_processor_facts(entry, registered)
        for country in dict.fromkeys(c for c in countries if c) or ("",):
            flows.append(Flow(country, path, owner, entry, first_hop, entry_facts, MODULE_P2P))
        if registered is not None and registered.id not in expanded:
            expanded.add(registered.id)
            stack.extend(
                (registered, sub, first_hop, path) for sub in reversed(registered.sub_processors)
            )
    return flows


# --------------------------------------------------------------------------
# The decision rule for one flow
# --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Issue:
    """A finding to raise if the option it belongs to is relied on."""

    code: str
    subject: FindingSubject
    detail: Localised | None
    relied_on: tuple[str, ...] = ()
    key: tuple = ()  # identity for de-duplication across flows


@dataclass(frozen=True, slots=True)
class _Option:
    """One way a flow may be lawful: an adequacy decision or a recorded tool."""

    basis: str  # TransferRoute.basis
    covered: bool
    mechanism: TransferMechanism | None = None
    scc_module: int | None = None
    decision: str = ""
    risk_note: Localised | None = None
    issues: tuple[_Issue, ...] = ()


class SafeguardIndex:
    """A processor's safeguards by (sub-processor id, country)."""

    __slots__ = ("_by_flow",)

    def __init__(self, processor: Processor) -> None:
        by_flow: dict[tuple[int | None, str], list[Safeguard]] = {}
        for safeguard in processor.safeguards:
            key = (safeguard.sub_processor_id, normalise_country(safeguard.country))
            by_flow.setdefault(key, []).append(safeguard)
        self._by_flow = by_flow

    def get(self, sub_processor_id: int | None, country: str) -> list[Safeguard]:
        return self._by_flow.get((sub_processor_id, country), [])


def flow_safeguards(flow: Flow, root: Processor, indexes: "SafeguardIndexes") -> list[Safeguard]:
    """The tools recorded for a flow: on the record holding its last hop, then —
    for a flow deep in a registered chain — on the processor's record for the
    sub-processor the chain starts from."""
    hop_id = flow.hop.id if flow.hop is not None else None
    found = list(indexes.of(flow.owner).get(hop_id, flow.country))
    if flow.owner is not root and flow.first_hop is not None:
        found.extend(indexes.of(root).get(flow.first_hop.id, flow.country))
    return found


class SafeguardIndexes:
    """Safeguard indexes memoised per processor record for one run."""

    __slots__ = ("_by_record",)

    def __init__(self) -> None:
        self._by_record: dict[int, tuple[Processor, SafeguardIndex]] = {}

    def of(self, processor: Processor) -> SafeguardIndex:
        cached = self._by_record.get(id(processor))
        if cached is None or cached[0] is not processor:
            cached = self._by_record[id(processor)] = (processor, SafeguardIndex(processor))
        return cached[1]


def transfer_subject(flow: Flow) -> FindingSubject:
    return FindingSubject("transfer", flow.country, flow.label)


def safeguard_subject(safeguard: Safeguard, flow: Flow) -> FindingSubject:
    ref = "" if safeguard.id is None else str(safeguard.id)
    name = MECHANISM_NAMES.get(safeguard.mechanism, Localised(str(safeguard.mechanism), ""))
    return FindingSubject("safeguard", ref, f"{name.en}: {flow.label}")


def _flow_detail(flow: Flow) -> Localised:
    return Localised(en=f"Flow: {flow.label}.", fr=f"Flux : {flow.label}.")


def _flow_location_subject(flow: Flow, root: Processor) -> FindingSubject:
    if flow.hop is None:
        return processor_subject(root)
    ref = "" if flow.hop.id is None else str(flow.hop.id)
    return FindingSubject("sub_processor", ref, " → ".join(flow.path))


def _dpf_option(flow: Flow, destination: Destination, ctx: RuleContext) -> _Option:
    """The flow relies on the DPF: covered once the certification was checked
    within ``dpf_check_max_months`` (exactly that many months is still fine)."""
    checked_on = flow.facts.dpf_checked_on
    months = ctx.settings.dpf_check_max_months
    issues: tuple[_Issue, ...] = ()
    if checked_on is None or older_than_months(checked_on, months, as_of=ctx.as_of):
        if checked_on is None:
            detail = Localised(
                en=f"{flow.label}: the certification has never been checked.",
                fr=f"{flow.label} : la certification n'a jamais été vérifiée.",
            )
        else:
            detail = Localised(
                en=f"{flow.label}: last checked on {checked_on.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}.",
                fr=f"{flow.label} : dernière vérification le {checked_on.isoformat()}, plus de {months} mois avant le {ctx.as_of.isoformat()}.",
            )
        relied_on = (*destination.relied_on, ctx.setting_relied_on("dpf_check_max_months"))
        issues = (_Issue("TRANSFER_US_DPF_UNVERIFIED", transfer_subject(flow), detail, relied_on),)
    return _Option(
        basis="adequacy",
        covered=not issues,
        mechanism=TransferMechanism.DPF,
        decision=destination.adequacy.decision if destination.adequacy else "",
        risk_note=destination.risk_note,
        issues=issues,
    )


def _scc_2021_option(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> _Option:
    subject = safeguard_subject(safeguard, flow)
    key = ("safeguard", id(safeguard))
    issues = []
    module = safeguard.scc_module
    if module is None:
        issues.append(_Issue("SCC_MODULE_UNKNOWN", subject, None, key=key))
    elif module != flow.expected_module:
        detail = Localised(
            en=f"Module {module} is recorded; this flow needs Module {flow.expected_module}.",
            fr=f"Le module {module} est enregistré ; ce flux relève du module {flow.expected_module}.",
        )
        issues.append(_Issue("SCC_WRONG_MODULE", subject, detail, key=key))
    months = ctx.settings.tia_review_months
    if safeguard.tia_on is None:
        issues.append(_Issue("TIA_MISSING", subject, None, key=key))
    elif older_than_months(safeguard.tia_on, months, as_of=ctx.as_of):
        detail = Localised(
            en=f"The assessment is dated {safeguard.tia_on.isoformat()}, more than {months} months before {ctx.as_of.isoformat()}.",
            fr=f"L'analyse date du {safeguard.tia_on.isoformat()}, plus de {months} mois avant le {ctx.as_of.isoformat()}.",
        )
        relied_on = (ctx.setting_relied_on("tia_review_months"),)
        issues.append(_Issue("TIA_STALE", subject, detail, relied_on, key=key))
    return _Option(
        basis="safeguard",
        covered=module == flow.expected_module,
        mechanism=TransferMechanism.SCC_2021,
        scc_module=module,
        issues=tuple(issues),
    )


def _pre_2021_scc_option(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> _Option:
    deadline = ctx.scc_replacement_deadline
    issues: tuple[_Issue, ...] = ()
    if ctx.as_of > deadline:
        detail = Localised(
            en=f"Contracts on the old SCCs had to be replaced by {deadline.isoformat()}.",
            fr=f"Les contrats fondés sur les anciennes CCT devaient être remplacés avant le {deadline.isoformat()}.",
        )
        issues = (
            _Issue(
                "SCC_OUTDATED",
                safeguard_subject(safeguard, flow),
                detail,
                (ctx.scc_deadline_relied_on(),),
                key=("safeguard", id(safeguard)),
            ),
        )
    return _Option(
        basis="safeguard",
        covered=not issues,
        mechanism=TransferMechanism.SCC_PRE_2021,
        scc_module=safeguard.scc_module,
        issues=issues,
    )


def _safeguard_option(safeguard: Safeguard, flow: Flow, ctx: RuleContext) -> _Option | None:
    """The option a recorded tool gives this flow; None when the tool does not
    apply to it (a UK tool outside the UK, the DPF outside the US, an
    "adequacy" tool where no decision applies)."""
    mechanism = safeguard.mechanism
    if mechanism == TransferMechanism.SCC_2021:
        return _scc_2021_option(safeguard, flow, ctx)
    if mechanism == TransferMechanism.SCC_PRE_2021:
        return _pre_2021_scc_option(safeguard, flow, ctx)
    if mechanism == TransferMechanism.BCR:
        return _Option(basis="safeguard", covered=True, mechanism=mechanism)
    if mechanism in UK_TOOLS and flow.country == UNITED_KINGDOM:
        return _Option(basis="safeguard", covered=True, mechanism=mechanism)
    if mechanism == TransferMechanism.ART49_DEROGATION:
        issue = _Issue(
            "DEROGATION_USED",
            safeguard_subject(safeguard, flow),
            None,
            key=("safeguard", id(safeguard)),
        )
        return _Option(basis="safeguard", covered=True, mechanism=mechanism, issues=(issue,))
    return None


def _penalty(option: _Option, ctx: RuleContext) -> int:
    return sum(SEVERITY_WEIGHTS[ctx.catalogue.severity(i.code)] for i in option.issues)


def _no_tool_option(
    flow: Flow, destination: Destination, ignored: list[Safeguard], ctx: RuleContext
) -> _Option:
    """No recorded tool applies: say why, naming an unknown fact as unknown."""
    subject = transfer_subject(flow)
    name = destination.name
    facts = flow.facts
    if destination.kind == "dpf" and facts.dpf_certified is None:
        return _Option(
            basis="unknown",
            covered=False,
            issues=(_Issue("DPF_STATUS_UNKNOWN", subject, _flow_detail(flow), destination.relied_on),),
        )
    if destination.kind == "pipeda" and facts.pipeda_scope is None:
        return _Option(
            basis="unknown",
            covered=False,
            issues=(_Issue("PIPEDA_SCOPE_UNKNOWN", subject, _flow_detail(flow), destination.relied_on),),
        )
    if destination.kind == "dpf":
        why = Localised(
            en=f"{flow.label}: the recipient is recorded as not certified under the Data Privacy Framework.",
            fr=f"{flow.label} : le destinataire est enregistré comme non certifié au titre du Data Privacy Framework.",
        )
    elif destination.kind == "pipeda":
        why = Localised(
            en=f"{flow.label}: the recipient is recorded as outside PIPEDA's scope.",
            fr=f"{flow.label} : le destinataire est enregistré comme hors du champ de la PIPEDA.",
        )
    else:
        why = Localised(
            en=f"{flow.label}: {name.en} is outside the EEA and has no adequacy decision.",
            fr=f"{flow.label} : {name.fr} est hors de l'EEE et ne bénéficie d'aucune décision d'adéquation.",
        )
    if ignored:
        names = [MECHANISM_NAMES.get(s.mechanism, Localised(str(s.mechanism), str(s.mechanism))) for s in ignored]
        why = Localised(
            en=f"{why.en} Recorded but not applicable to this flow: {', '.join(n.en for n in names)}.",
            fr=f"{why.fr} Enregistré mais inapplicable à ce flux : {', '.join(n.fr for n in names)}.",
        )
    return _Option(
        basis="none",
        covered=False,
        issues=(_Issue("TRANSFER_NO_SAFEGUARD", subject, why, destination.relied_on),),
    )


def _options(flow: Flow, destination: Destination, safeguards: list[Safeguard], ctx: RuleContext) -> list[_Option]:
    facts = flow.facts
    options: list[_Option] = []
    ignored: list[Safeguard] = []
    relies_on_dpf = facts.dpf_certified is True
    for safeguard in safeguards:
        if safeguard.mechanism == TransferMechanism.DPF and destination.kind == "dpf":
            # A DPF "safeguard" means the flow relies on the recipient's
            # certification, unless the record says it is not certified.
            if facts.dpf_certified is not False:
                relies_on_dpf = True
                continue
        option = _safeguard_option(safeguard, flow, ctx)
        if option is None:
            ignored.append(safeguard)
        else:
            options.append(option)
    if destination.kind == "dpf" and relies_on_dpf:
        options.append(_dpf_option(flow, destination, ctx))
    if not options:
        options.append(_no_tool_option(flow, destination, ignored, ctx))
    return options


def _route(flow: Flow, destination: Destination, option: _Option) -> TransferRoute:
    return TransferRoute(
        country=flow.country,
        country_name=destination.name,
        path=flow.path,
        recipient=flow.path[-1],
        sub_processor_id=flow.hop.id if flow.hop is not None else None,
        basis=option.basis,
        mechanism=option.mechanism,
        scc_module=option.scc_module,
        decision=option.decision,
        covered=option.covered,
        risk_note=option.risk_note,
    )


def choose_option(flow: Flow, root: Processor, destination: Destination, indexes: SafeguardIndexes, ctx: RuleContext) -> _Option:
    """The decision rule of reference §4 for one flow."""
    kind = destination.kind
    if kind == "eea":
        return _Option(basis="eea", covered=True)
    if kind == "adequacy" or (kind == "pipeda" and flow.facts.pipeda_scope is True):
        adequacy = destination.adequacy
        return _Option(
            basis="adequacy",
            covered=True,
            mechanism=TransferMechanism.ADEQUACY,
            decision=adequacy.decision if adequacy else "",
            risk_note=destination.risk_note,
        )
    if kind == "unrecorded":
        detail = _flow_detail(flow)
        issue = _Issue("TRANSFER_LOCATIONS_UNKNOWN", _flow_location_subject(flow, root), detail)
        return _Option(basis="unknown", covered=False, issues=(issue,))
    if kind == "unknown":
        detail = Localised(
            en=f"{flow.label}: “{flow.country}” is not a recognised country code.",
            fr=f"{flow.label} : « {flow.country} » n'est pas un code pays reconnu.",
        )
        issue = _Issue("TRANSFER_COUNTRY_UNKNOWN", transfer_subject(flow), detail)
        return _Option(basis="unknown", covered=False, issues=(issue,))
    options = _options(flow, destination, flow_safeguards(flow, root, indexes), ctx)
    # Covered first, then the lightest findings; on a tie the first recorded
    # tool wins (the DPF, listed last, yields to an equally good safeguard).
    return min(options, key=lambda o: (not o.covered, _penalty(o, ctx)))


def assess_transfers(
    processor: Processor,
    registry: Mapping[int, Processor] | None,
    ctx: RuleContext,
    indexes: SafeguardIndexes | None = None,
) -> tuple[tuple[TransferRoute, ...], list[Finding]]:
    """Every route of the processor's data, and the transfer findings."""
    indexes = indexes or SafeguardIndexes()
    routes: list[TransferRoute] = []
    findings: list[Finding] = []
    seen: set[tuple] = set()
    catalogue = ctx.catalogue
    for flow in data_flows(processor, registry):
        destination = ctx.destination(flow.country)
        option = choose_option(flow, processor, destination, indexes, ctx)
        routes.append(_route(flow, destination, option))
        for issue in option.issues:
            identity = (issue.code, issue.key or (issue.subject.kind, issue.subject.ref, issue.subject.label))
            if identity in seen:
                continue
            seen.add(identity)
            findings.append(
                catalogue.finding(issue.code, processor, issue.subject, issue.detail, issue.relied_on)
            )
    return tuple(routes), findings
