"""JSON request bodies are checked strictly before a handler sees them.

Litestar decodes a body to plain values, then converts them to the handler's
struct laxly (``"12"`` becomes ``12``, ``1`` becomes ``true``), keeps the last
of two equal keys, and a body nested a thousand levels deep ends in a
RecursionError (500). This hook decodes the body first with
:func:`register.strict_json.decode_strict` into the handler's own ``data``
type, and answers 400 naming the field when it is refused.
"""

from __future__ import annotations

from litestar import Request
from litestar.enums import RequestEncodingType
from litestar.exceptions import ValidationException
from litestar.params import BodyKwarg

from register.strict_json import JsonRefused, decode_strict


async def check_json_body(request: Request) -> None:
    """``before_request`` hook: refuse a JSON body its handler's type does not accept strictly."""
    field = request.route_handler.parsed_data_field
    if field is None:
        return None
    kwarg = field.kwarg_definition
    if isinstance(kwarg, BodyKwarg) and kwarg.media_type != RequestEncodingType.JSON:
        return None
    try:
        decode_strict(await request.body(), field.annotation)
    except JsonRefused as error:
        raise ValidationException(
            detail=f"Validation failed for {request.method} {request.url.path}: {error}",
            extra=[{"message": error.message, "key": error.field, "source": "body"}],
        ) from None
    return None
