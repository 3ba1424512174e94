"""DomainError: what went wrong, as an i18n key with parameters, and the field it concerns."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

from storepos.i18n import has, t


class DomainError(Exception):
    """A rule said no.  ``message`` is in the current language; ``field`` names the input."""

    def __init__(self, key: str, *, field: str | None = None, **params: Any) -> None:
        super().__init__(key)
        self.key = key
        self.field = field
        self.params = params

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    pass


class PermissionDenied(DomainError):
    """A role may not do an action.  Said in words in the language shown at the time: the action's
    name (perm.<action>) and the roles that may (params ``action`` and ``roles``)."""

    @property
    def message(self) -> str:
        action = str(self.params.get("action", ""))
        roles = self.params.get("roles") or ()
        if self.key != "err.permission_denied" or not has(f"perm.{action}", "en"):
            return super().message
        who = t("perm_role.or").join(t(f"perm_role.{r}") for r in roles) or t("perm_role.nobody")
        return t(self.key, action=t(f"perm.{action}"), who=who)


_PYDANTIC_KEYS = {
    "missing": "err.required",
    "string_too_short": "err.required",
    "string_too_long": "err.too_long",
    "int_parsing": "err.not_a_number",
    "int_type": "err.not_a_number",
    "int_from_float": "err.not_a_whole_number",
    "float_parsing": "err.not_a_number",
    "decimal_parsing": "err.not_a_number",
    "greater_than_equal": "err.too_small",
    "greater_than": "err.too_small",
    "less_than_equal": "err.too_large",
    "less_than": "err.too_large",
    "date_from_datetime_parsing": "err.bad_date",
    "date_parsing": "err.bad_date",
    "date_type": "err.bad_date",
    "time_parsing": "err.bad_time",
    "literal_error": "err.not_allowed_value",
    "enum": "err.not_allowed_value",
    "string_pattern_mismatch": "err.bad_format",
}


def from_validation_error(exc: ValidationError) -> DomainError:
    """The first problem of a pydantic ValidationError as a DomainError.

    Validators raise ValueError("err.some_key") to choose their own message.
    """
    err = exc.errors()[0]
    field = ".".join(str(p) for p in err.get("loc", ())) or None
    ctx = err.get("ctx") or {}
    key = _PYDANTIC_KEYS.get(err["type"], "err.invalid")
    if err["type"] == "value_error":
        inner = ctx.get("error")
        text = str(inner) if inner is not None else err.get("msg", "")
        text = text.removeprefix("Value error, ")
        if text.startswith("err.") and has(text, "en"):
            key = text
    params = {k: v for k, v in ctx.items() if isinstance(v, (int, float, str))}
    params.setdefault("limit", ctx.get("ge", ctx.get("le", ctx.get("max_length", ""))))
    return DomainError(key, field=field, **params)


def parse(model: type[BaseModel], data: dict[str, Any]) -> Any:
    """Validate *data* into *model*, turning pydantic's error into a DomainError."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc) from None
