"""The signed-in user's own account: changing the password."""

from __future__ import annotations

from litestar import Request, get, post
from litestar.response import Template

from register.accounts.secrets import MIN_PASSWORD_LENGTH
from register.accounts.store import WrongPassword, change_password
from register.web import forms
from register.web.access import SIGNED_IN
from register.web.pages.common import language, render
from register.i18n import words

PASSWORD_FIELDS = ("current_password", "new_password", "new_password_again")


async def password_page(
    request: Request, state: forms.FormState | None = None, changed: bool = False, status_code: int = 200
) -> Template:
    return await render(
        request,
        "account_password.html",
        status_code=status_code,
        form=state or forms.FormState(),
        changed=changed,
    )


@get("/account/password", opt=SIGNED_IN)
async def password_form(request: Request) -> Template:
    return await password_page(request)


def password_errors(values: dict[str, str], lang: str) -> dict[str, str]:
    """What is wrong with the new password as typed (the current one is checked by the store)."""
    if len(values["new_password"]) < MIN_PASSWORD_LENGTH:
        return {"new_password": words(lang).gettext("At least 10 characters.")}
    if values["new_password"] != values["new_password_again"]:
        return {"new_password_again": words(lang).gettext("The two entries differ.")}
    return {}


@post("/account/password", opt=SIGNED_IN)
async def update_password(request: Request) -> Template:
    data = await request.form()
    values = {name: str(data.get(name, "")) for name in PASSWORD_FIELDS}
    lang = language(request)
    # Typed passwords are never sent back into the form.
    state = forms.FormState(errors=password_errors(values, lang))
    if state.valid:
        try:
            # The other browsers signed in as this user are signed out; this one stays.
            await change_password(
                request.user.id, values["current_password"], values["new_password"], keep_session=request.auth.id
            )
            return await password_page(request, changed=True)
        except WrongPassword:
            state.errors = {"current_password": words(lang).gettext("This is not your current password.")}
    return await password_page(request, state, status_code=400)


ACCOUNT_HANDLERS = [password_form, update_password]
