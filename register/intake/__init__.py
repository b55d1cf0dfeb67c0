"""Reading other people's spreadsheets into the register (issue 11).

Two steps, as for every file the register reads:

1. pure: :func:`read_workbook` turns bytes into a :class:`Workbook` (or
   refuses the file with an :class:`IntakeError`), :func:`suggest_mapping`
   proposes a :class:`ColumnMapping` from its headers, and
   :func:`build_preview` compares the rows with the organisation's register
   and says, row by row, what an import would do;
2. the store (:mod:`register.store.intake`) applies a reviewed
   :class:`Preview` in one transaction, with audit events naming the import.

Nothing here touches the database.
"""

from register.intake.model import (
    Cell,
    ColumnMapping,
    Counts,
    FieldChange,
    ImportResult,
    IntakeError,
    Limits,
    Preview,
    PreviewRow,
    Problem,
    ProcessorProposal,
    Sheet,
    SheetRow,
    Workbook,
)
from register.intake.reading import read_workbook
from register.intake.mapping import suggest_mapping
from register.intake.preview import ImportRegister, build_preview

__all__ = [
    "Cell",
    "ColumnMapping",
    "Counts",
    "FieldChange",
    "ImportRegister",
    "ImportResult",
    "IntakeError",
    "Limits",
    "Preview",
    "PreviewRow",
    "Problem",
    "ProcessorProposal",
    "Sheet",
    "SheetRow",
    "Workbook",
    "build_preview",
    "read_workbook",
    "suggest_mapping",
]
