"""A processor compliance register for the GDPR (Art. 28 DPAs, SCCs, transfers)."""

import os

# Piccolo finds its engine through this module wherever the package is run
# from (the root piccolo_conf.py re-exports it for Piccolo's own CLI).
os.environ.setdefault("PICCOLO_CONF", "register.database")

__version__ = "0.1.0"
