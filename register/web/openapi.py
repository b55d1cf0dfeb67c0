"""What Litestar's generated OpenAPI document does not say by itself, added in one place:

- the error answers every API route may give (401, 403, 404, 409, 413, 429),
  with their body;
- the media types of downloads (Word, Excel, CSV) as binary strings;
- closed objects: a msgspec Struct with ``forbid_unknown_fields`` refuses
  unknown keys, so its schema says ``additionalProperties: false``;
- country codes as the real list (an enum of the reference's ISO codes);
- Structs encoded as arrays (``array_like``) as arrays with ``prefixItems``.
"""

from __future__ import annotations

from typing import Iterator

import msgspec
from litestar import Litestar
from litestar._openapi.plugin import OpenAPIPlugin
from litestar.openapi.spec import OpenAPI, OpenAPIMediaType, OpenAPIResponse, Operation, Reference, Schema
from litestar.openapi.spec.enums import OpenAPIType

from register.reference import load_reference
from register.web.access import AccessRule

COUNTRY_PATTERN = "^[A-Z]{2}$"
COUNTRY_FIELDS = ("country", "headquarters_country")
COUNTRY_LIST_FIELDS = ("countries",)
DOWNLOAD_MEDIA_TYPES = {
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".csv": "text/csv",
}
STORED_FILE_SUFFIX = "/agreement/files/{file_id}/content"
ERROR_SCHEMA_NAME = "Error"
ERROR_DESCRIPTIONS = {
    "401": "No valid API token (Authorization: Bearer <token>)",
    "403": "Your role in this organisation does not allow this",
    "404": "Not found, or not in an organisation you are a member of",
    "409": "Conflict: a stale version (the answer gives the current one) or a duplicate",
    "413": "Request body too large",
    "415": "Unsupported kind of file (recognised from its content)",
    "422": "The stored file cannot be read (no text layer, encrypted, damaged): the detail says why",
    "429": "Rate limit exceeded: retry after the number of seconds in the Retry-After header",
}
# Refusals only some routes give, by method and the end of their path.
ROUTE_STATUSES = {("post", "/agreement/files"): ("415",), ("post", "/readings"): ("422",)}
WRITE_METHODS = ("post", "put", "patch", "delete")
BODY_METHODS = ("post", "put", "patch")


def error_schema() -> Schema:
    return Schema(
        type=OpenAPIType.OBJECT,
        properties={
            "status_code": Schema(type=OpenAPIType.INTEGER),
            "detail": Schema(type=OpenAPIType.STRING),
            "request_id": Schema(type=OpenAPIType.STRING, description="on 500 and 503: quote it to the operator"),
            "extra": Schema(description="the fields a validation error is about"),
        },
        required=["status_code", "detail"],
    )


def closed_struct_names() -> set[str]:
    """Names of the register's Structs that refuse unknown fields."""
    names: set[str] = set()
    pending = list(msgspec.Struct.__subclasses__())
    while pending:
        struct = pending.pop()
        pending += struct.__subclasses__()
        if struct.__module__.startswith("register.") and struct.__struct_config__.forbid_unknown_fields:
            names.add(struct.__name__)
    return names


def schemas_within(schema: Schema | Reference | None) -> Iterator[Schema]:
    if not isinstance(schema, Schema):
        return
    yield schema
    for child in (schema.properties or {}).values():
        yield from schemas_within(child)
    for group in (schema.one_of, schema.any_of, schema.all_of):
        for child in group or ():
            yield from schemas_within(child)
    if isinstance(schema.items, Schema):
        yield from schemas_within(schema.items)


def allows_null(schema: Schema) -> bool:
    alternatives = schema.one_of or schema.any_of or ()
    return schema.type == OpenAPIType.NULL or any(
        isinstance(option, Schema) and option.type == OpenAPIType.NULL for option in alternatives
    )


def restrict_to_countries(schema: Schema, codes: list[str]) -> None:
    schema.enum = [*codes, None] if allows_null(schema) else list(codes)


def country_schemas(properties: dict) -> Iterator[Schema]:
    """The schemas that hold a country code: by field name, and any string with the code pattern."""
    for name, schema in properties.items():
        if not isinstance(schema, Schema):
            continue
        if name in COUNTRY_FIELDS:
            yield schema
        elif name in COUNTRY_LIST_FIELDS:
            for array in [schema, *(schema.one_of or ())]:
                if isinstance(array, Schema) and isinstance(array.items, Schema):
                    yield array.items
        for inner in schemas_within(schema):
            if inner.pattern == COUNTRY_PATTERN:
                yield inner


def list_countries(openapi: OpenAPI) -> None:
    codes = sorted(load_reference().countries)
    for schema in (openapi.components.schemas or {}).values():
        for country in country_schemas(schema.properties or {}):
            restrict_to_countries(country, codes)


def array_like_struct_names() -> dict[str, tuple[str, ...]]:
    """The register's Structs encoded as JSON arrays (``array_like``), with their fields in order."""
    found: dict[str, tuple[str, ...]] = {}
    pending = list(msgspec.Struct.__subclasses__())
    while pending:
        struct = pending.pop()
        pending += struct.__subclasses__()
        if struct.__module__.startswith("register.") and struct.__struct_config__.array_like:
            found[struct.__name__] = struct.__struct_fields__
    return found


def describe_arrays(openapi: OpenAPI) -> None:
    """An ``array_like`` Struct travels as an array (e.g. a preview's change ``[field, old, new]``):
    say so with ``prefixItems`` instead of the object Litestar describes."""
    arrays = array_like_struct_names()
    for name, schema in (openapi.components.schemas or {}).items():
        fields = arrays.get(name)
        if fields is None or not schema.properties:
            continue
        items = [schema.properties.get(field, Schema()) for field in fields]
        schema.type = OpenAPIType.ARRAY
        schema.prefix_items = items
        schema.min_items = schema.max_items = len(items)
        schema.description = f"[{', '.join(fields)}]"
        schema.properties = None
        schema.required = None


def close_objects(openapi: OpenAPI) -> None:
    closed = closed_struct_names()
    for name, schema in (openapi.components.schemas or {}).items():
        if name in closed:
            schema.additional_properties = False


def error_response(status: str) -> OpenAPIResponse:
    return OpenAPIResponse(
        description=ERROR_DESCRIPTIONS[status],
        content={"application/json": OpenAPIMediaType(schema=Reference(f"#/components/schemas/{ERROR_SCHEMA_NAME}"))},
    )


def statuses_for(method: str, rule: AccessRule | None, has_path_parameters: bool) -> list[str]:
    statuses = ["401", "429"]
    if rule is not None and rule.kind in ("organisation", "firm"):
        statuses += ["403", "404"]
    elif has_path_parameters:
        statuses.append("404")
    if method in WRITE_METHODS:
        statuses.append("409")
    if method in BODY_METHODS:
        statuses.append("413")
    return statuses


def describe_download(path: str, operation: Operation) -> None:
    suffix = next((s for s in DOWNLOAD_MEDIA_TYPES if path.endswith(s)), None)
    if path.endswith(STORED_FILE_SUFFIX):
        media_type = "application/octet-stream"  # as uploaded: PDF, Word, OpenDocument, text, Markdown, HTML
    elif suffix is not None:
        media_type = DOWNLOAD_MEDIA_TYPES[suffix]
    else:
        return
    ok = operation.responses.get("200") if operation.responses else None
    if isinstance(ok, OpenAPIResponse):
        ok.content = {media_type: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING, format="binary"))}


def access_rules(app: Litestar) -> dict[tuple[str, str], AccessRule]:
    rules = {}
    for route in app.routes:
        for handler in getattr(route, "route_handlers", []):
            rule = handler.opt.get("access")
            for method in getattr(handler, "http_methods", ()):
                rules[(route.path_format, method.lower())] = rule
    return rules


def document_errors(openapi: OpenAPI, app: Litestar) -> None:
    rules = access_rules(app)
    for path, item in (openapi.paths or {}).items():
        if not path.startswith("/api/"):
            continue
        for method in ("get", "post", "put", "patch", "delete"):
            operation: Operation | None = getattr(item, method)
            if operation is None:
                continue
            responses = operation.responses if operation.responses is not None else {}
            statuses = statuses_for(method, rules.get((path, method)), "{" in path)
            statuses += [code for (verb, end), codes in ROUTE_STATUSES.items() if verb == method and path.endswith(end)
                         for code in codes]
            for status in statuses:
                responses.setdefault(status, error_response(status))
            operation.responses = responses
            describe_download(path, operation)


def refine(openapi: OpenAPI, app: Litestar) -> OpenAPI:
    components = openapi.components
    components.schemas = {**(components.schemas or {}), ERROR_SCHEMA_NAME: error_schema()}
    document_errors(openapi, app)
    close_objects(openapi)
    describe_arrays(openapi)
    list_countries(openapi)
    return openapi


class RefinedOpenAPIPlugin(OpenAPIPlugin):
    """Litestar's OpenAPI plugin, with :func:`refine` applied to the document it builds (once, lazily)."""

    __slots__ = ()

    def _build_openapi(self) -> OpenAPI:
        return refine(super()._build_openapi(), self.app)


def install(app: Litestar) -> None:
    """Litestar adds its own plugin instance; this gives it the refinements (same slots, no copy)."""
    plugin = app.plugins.get(OpenAPIPlugin)
    plugin.__class__ = RefinedOpenAPIPlugin
