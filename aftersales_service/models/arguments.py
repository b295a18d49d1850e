"""Checks of the arguments the public methods receive, over RPC as plain JSON
or XML-RPC values, from the web client or from Python: each turns a valid
value into what the method works with, and refuses anything else with a
UserError that names the argument."""

import math
from datetime import date, datetime

from odoo import fields, models
from odoo.exceptions import UserError


def to_record(env, model, value, label, required=True):
    """The one record of ``model`` that ``value`` (a record or its id) names;
    an empty recordset for a missing optional value."""
    if isinstance(value, models.BaseModel):
        if value._name != model or len(value) > 1:
            raise UserError(env._("%(label)s must be one %(model)s.", label=label, model=model))
        value = value.id
    if value in (None, False, 0) and not required:
        return env[model]
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
        raise UserError(
            env._(
                "%(label)s must be given as the id of a record (%(model)s), not %(value)r.",
                label=label,
                model=model,
                value=value,
            )
        )
    record = env[model].browse(value).exists()
    if not record:
        raise UserError(
            env._("%(label)s: there is no %(model)s %(id)s.", label=label, model=model, id=value)
        )
    return record


def to_records(env, model, value, label):
    """The records of ``model`` that ``value`` (a recordset, an id or a list of ids) names."""
    if isinstance(value, models.BaseModel) and value._name == model:
        return value
    ids = value if isinstance(value, list | tuple) else [value]
    return env[model].browse(to_record(env, model, i, label).id for i in ids)


def to_text(env, value, label, required=True):
    """``value`` as stripped text; refused when not text, or empty and required."""
    if value in (None, False):
        value = ""
    if not isinstance(value, str):
        raise UserError(env._("%(label)s must be text, not %(value)r.", label=label, value=value))
    value = value.strip()
    if required and not value:
        raise UserError(env._("%s is required.", label))
    return value


def to_date(env, value, label, required=False):
    """``value`` (a date, a datetime or an ISO ``YYYY-MM-DD`` string) as a date;
    None when missing and optional."""
    if value in (None, False, ""):
        if required:
            raise UserError(env._("%s is required.", label))
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return fields.Date.to_date(value.strip()[:10])
        except ValueError:
            value = value.strip()  # not a date: refused below
    raise UserError(
        env._(
            "%(label)s must be a date written YYYY-MM-DD, not %(value)r.", label=label, value=value
        )
    )


def to_number(env, value, label, integer=False, minimum=None, maximum=None):
    """``value`` as a number (a whole one when ``integer``) within
    [``minimum``, ``maximum``]."""
    kind_ok = isinstance(value, int) if integer else isinstance(value, int | float)
    if (
        isinstance(value, bool)
        or not kind_ok
        or (isinstance(value, float) and not math.isfinite(value))
    ):
        raise UserError(
            env._(
                "%(label)s must be %(kind)s, not %(value)r.",
                label=label,
                kind=env._("a whole number") if integer else env._("a number"),
                value=value,
            )
        )
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
        raise UserError(
            env._(
                "%(label)s must be between %(minimum)s and %(maximum)s, not %(value)s.",
                label=label,
                minimum=minimum if minimum is not None else "-",
                maximum=maximum if maximum is not None else "-",
                value=value,
            )
        )
    return value


def to_choice(env, value, selection, label):
    """``value`` when it is one of the keys of ``selection`` (a list of pairs)."""
    keys = dict(selection)
    if not isinstance(value, str) or value not in keys:
        raise UserError(
            env._(
                "%(label)s must be one of %(keys)s, not %(value)r.",
                label=label,
                keys=", ".join(keys),
                value=value,
            )
        )
    return value
