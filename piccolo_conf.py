"""Piccolo's configuration for its CLI (``piccolo migrations forwards register``).

The engine is chosen from ``DATABASE_URL`` in :mod:`register.database`; the
package points ``PICCOLO_CONF`` there itself, so this file is only needed when
Piccolo's own command line is run from the project root.
"""

from register.database import APP_REGISTRY, DB  # noqa: F401
