"""The register's history: the register as it stood on a past date, rebuilt
from the audit trail, and what changed between two dates.

Pure modules (no database, no HTTP): :mod:`register.history.replay` turns a
sequence of audit events into the register's rows at a moment;
:mod:`register.history.report` turns events into the changes a person reads.
:mod:`register.store.history` loads the events.
"""
