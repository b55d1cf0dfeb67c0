"""Prepare the database of a browser-test server (run in the server's environment).

An empty organisation for the scenario, the demo register for the screenshots,
and one user per role in both. ``python -m tests.browser.seed`` prints the ids as JSON.
"""

from __future__ import annotations

import asyncio
import json

from register.accounts.store import create_user, set_membership
from register.demo import demo_document
from register.schema_migrations import apply_migrations
from register.store.changes import create_organisation
from register.store.portability import import_document
from register.vocabulary import Role

PASSWORD = "browser tests password 2026"
# An organisation whose name is longer than a phone is wide (the switcher shows it whole).
LONG_NAME = "Groupement d'intérêt économique des coopératives agricoles et viticoles de Bourgogne-Franche-Comté"
ROLES = ("admin", "dpo", "procurement", "auditor")


def email_of(role: str) -> str:
    return f"{role}@browser.test"


async def seed() -> dict[str, int]:
    await apply_migrations()
    scenario = await create_organisation(
        {"name": "Atelier Lumière SAS", "country": "FR", "dpo_name": "Camille Martin", "lead_authority": "CNIL"},
        "seed",
    )
    demo_id = await import_document(demo_document(), "seed")
    from register.demo import load_demo_notice

    await load_demo_notice(demo_id, "seed")  # RelationHub's pending list snapshot (notice pages)
    users = {}
    for role in ROLES:
        user_id = users[role] = await create_user(email_of(role), PASSWORD, display_name=role.title())
        await set_membership(user_id, scenario.id, Role(role))
        await set_membership(user_id, demo_id, Role(role))
    long_named = await create_organisation({"name": LONG_NAME, "country": "FR"}, "seed")
    await set_membership(users["admin"], long_named.id, Role.ADMIN)
    return {"scenario": scenario.id, "demo": demo_id, "long_name": long_named.id}


if __name__ == "__main__":
    print(json.dumps(asyncio.run(seed())))
