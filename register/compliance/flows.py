"""Where a processor's data goes: the flows to assess, country by country.

- The processor's own flows: each country of its locations; its headquarters
  only when no location is recorded; "" (unrecorded) when it has neither.
- Its sub-processors' flows (first level): each country recorded on the
  sub-processor entry and, when the entry is a registered processor, that
  record's own countries.
- Onward flows through the register: when a sub-processor is itself a
  registered processor, the flows of its own sub-processors, recursively.
  They are summarised once per assessment run for every registered processor
  (:class:`ChainExposure`): one flow per country it reaches onward, the one
  least covered on its owner's record, with the chain of names leading to it.
  A loop (A → B → A) is one strongly connected component of the register's
  "uses" graph and is summarised as a whole, so it terminates, and the work is
  linear in the size of the register rather than in the number of chains.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple, Protocol

from register.compliance.model import Processor, SubProcessor
from register.vocabulary import ProcessorRole

MODULE_C2C, MODULE_C2P, MODULE_P2P = 1, 2, 3


class RecipientFacts(NamedTuple):
    """What the record says about the recipient as a transfer destination."""

    dpf_certified: bool | None
    dpf_checked_on: date | None
    pipeda_scope: bool | None
    lgpd_scope: bool | None


class Flow(NamedTuple):
    """Data reaching one country through one chain of recipients.

    (Internal values of a run: named tuples, cheaper to build than frozen
    dataclasses, as a register run builds one per route.)"""

    country: str  # normalised code; "" when no country is recorded
    path: tuple[str, ...]  # recipients from the processor to the last one
    owner: Processor  # the record holding the last hop (the processor, or a registered one)
    hop: SubProcessor | None  # the last hop; None: the processor's own location
    first_hop: SubProcessor | None  # the processor's sub-processor the chain starts from
    facts: RecipientFacts
    expected_module: int  # the SCC module matching the parties' roles

    @property
    def label(self) -> str:
        return f"{' → '.join(self.path)} ({self.country or '?'})"

    @property
    def identity(self) -> tuple[int, int, str]:
        """The same flow reached by two chains has the same identity."""
        return (id(self.owner), id(self.hop), self.country)


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


def processor_facts(processor: Processor) -> RecipientFacts:
    return RecipientFacts(
        processor.dpf_certified, processor.dpf_checked_on, processor.pipeda_scope, processor.lgpd_scope
    )


def sub_processor_facts(entry: SubProcessor, registered: Processor | None) -> RecipientFacts:
    """The sub-processor entry's facts, completed from its register record."""
    if registered is None:
        return RecipientFacts(entry.dpf_certified, entry.dpf_checked_on, entry.pipeda_scope, entry.lgpd_scope)
    return RecipientFacts(
        entry.dpf_certified if entry.dpf_certified is not None else registered.dpf_certified,
        entry.dpf_checked_on if entry.dpf_checked_on is not None else registered.dpf_checked_on,
        entry.pipeda_scope if entry.pipeda_scope is not None else registered.pipeda_scope,
        entry.lgpd_scope if entry.lgpd_scope is not None else registered.lgpd_scope,
    )


def registered_record(entry: SubProcessor, registry: Mapping[int, Processor]) -> Processor | None:
    if entry.registered_processor_id is None:
        return None
    return registry.get(entry.registered_processor_id)


def entry_flows(
    owner: Processor,
    entry: SubProcessor,
    registry: Mapping[int, Processor],
    prefix: tuple[str, ...],
    first_hop: SubProcessor | None,
) -> list[Flow]:
    """The flows to one sub-processor: its recorded countries and, when it is
    registered, its record's own countries ("" when there are none)."""
    registered = registered_record(entry, registry)
    countries = [normalise_country(c) for c in entry.countries]
    if registered is not None:
        countries.extend(own_countries(registered))
    facts = sub_processor_facts(entry, registered)
    path = (*prefix, entry.name)
    return [
        Flow(country, path, owner, entry, first_hop, facts, MODULE_P2P)
        for country in dict.fromkeys(c for c in countries if c) or ("",)
    ]


# --------------------------------------------------------------------------
# Onward flows through the register
# --------------------------------------------------------------------------


class Judged(Protocol):
    """How a flow is covered on its owner's record (see ``transfers``)."""

    @property
    def gravity(self) -> tuple: ...  # larger is worse


class OnwardFlow(NamedTuple):
    """The least-covered flow a registered processor's chain sends to a country."""

    path: tuple[str, ...]  # names from the registered processor's sub-processor on
    flow: Flow  # as seen from its owner's record (path relative to the owner)
    judgement: Judged  # how it is covered on that record


Judge = Callable[[Flow], Judged]


class ChainExposure:
    """For each registered processor, the countries its sub-processors reach,
    directly or down their chains through the register, computed once per run.

    ``judge`` tells how a flow is covered on its owner's record; only the
    gravest flow per country is kept.
    """

    __slots__ = ("_registry", "_judge", "_onward")

    def __init__(self, registry: Mapping[int, Processor] | None, judge: Judge) -> None:
        self._registry = registry or {}
        self._judge = judge
        self._onward: dict[int, dict[str, OnwardFlow]] = {}

    def onward(self, processor_id: int) -> Mapping[str, OnwardFlow]:
        """Every country reached through the sub-processors of the registered
        processor ``processor_id`` (its sub-processors' countries included)."""
        found = self._onward.get(processor_id)
        if found is None:
            for component in self._components_from(processor_id):
                self._summarise(component)
            found = self._onward[processor_id]
        return found

    # -- the graph of registered processors ------------------------------------
    def _children(self, processor_id: int) -> list[tuple[SubProcessor, int]]:
        record = self._registry[processor_id]
        return [
            (entry, entry.registered_processor_id)
            for entry in record.sub_processors
            if entry.registered_processor_id in self._registry
        ]

    def _components_from(self, start: int) -> list[list[int]]:
        """Strongly connected components reachable from ``start`` and not yet
        summarised, children before parents (iterative Tarjan)."""
        index: dict[int, int] = {start: 0}
        low: dict[int, int] = {start: 0}
        stack, on_stack = [start], {start}
        components: list[list[int]] = []
        work = [(start, iter(self._children(start)))]
        while work:
            node, children = work[-1]
            advanced = False
            for _, child in children:
                if child in self._onward:
                    continue
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(self._children(child))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
        return components

    # -- summaries ------------------------------------------------------------
    @staticmethod
    def _keep_worse(into: dict[str, OnwardFlow], country: str, candidate: OnwardFlow) -> bool:
        current = into.get(country)
        if current is None or candidate.judgement.gravity > current.judgement.gravity:
            into[country] = candidate
            return True
        return False

    def _summarise(self, component: list[int]) -> None:
        members = set(component)
        maps: dict[int, dict[str, OnwardFlow]] = {m: {} for m in component}
        inner_edges: list[tuple[int, SubProcessor, int]] = []  # (member, entry, member it uses)
        for member in component:
            record = self._registry[member]
            summary = maps[member]
            for entry in record.sub_processors:
                for flow in entry_flows(record, entry, self._registry, (), None):
                    self._keep_worse(summary, flow.country, OnwardFlow(flow.path, flow, self._judge(flow)))
                child = entry.registered_processor_id
                if child in members:
                    inner_edges.append((member, entry, child))
                elif child in self._onward:
                    for country, onward in self._onward[child].items():
                        prefixed = OnwardFlow((entry.name, *onward.path), onward.flow, onward.judgement)
                        self._keep_worse(summary, country, prefixed)
        # Within a loop, spread the summaries until nothing gets worse.
        users: dict[int, list[tuple[int, SubProcessor]]] = {}
        for member, entry, child in inner_edges:
            users.setdefault(child, []).append((member, entry))
        pending = list(component)
        while pending:
            child = pending.pop()
            for member, entry in users.get(child, ()):
                changed = False
                for country, onward in list(maps[child].items()):
                    prefixed = OnwardFlow((entry.name, *onward.path), onward.flow, onward.judgement)
                    changed |= self._keep_worse(maps[member], country, prefixed)
                if changed:
                    pending.append(member)
        self._onward.update(maps)


def data_flows(
    processor: Processor,
    registry: Mapping[int, Processor] | None,
    chains: ChainExposure | None,
) -> list[tuple[Flow, Judged | None]]:
    """Every flow of the processor's data: its own, its sub-processors', then
    the onward flows of its registered sub-processors (with how each is
    covered on its owner's record). A flow reached twice (through a loop back
    to the processor) is listed once."""
    registry = registry or {}
    name = processor.display_name
    path, facts, module = (name,), processor_facts(processor), own_flow_module(processor)
    flows: list[tuple[Flow, Judged | None]] = [
        (Flow(country, path, processor, None, None, facts, module), None)
        for country in own_countries(processor) or ("",)
    ]
    for entry in processor.sub_processors:
        flows.extend((flow, None) for flow in entry_flows(processor, entry, registry, (name,), entry))
    registered = [e for e in processor.sub_processors if registered_record(e, registry) is not None]
    if chains is None or not registered:
        return flows
    seen = {flow.identity for flow, _ in flows}
    for entry in registered:
        for country, onward in chains.onward(entry.registered_processor_id).items():
            inner = onward.flow
            flow = Flow(
                country,
                (name, entry.name, *onward.path),
                inner.owner,
                inner.hop,
                entry,
                inner.facts,
                inner.expected_module,
            )
            if flow.identity not in seen:
                seen.add(flow.identity)
                flows.append((flow, onward.judgement))
    return flows
