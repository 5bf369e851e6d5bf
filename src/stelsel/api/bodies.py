"""Reading request bodies and answering their errors, the same way on every writing route.

A route checks access first and reads the body only then, so another board's object answers
404 and a forbidden change 403 whatever is sent. A body that is not JSON answers 400, one that
does not fit the schema 422 with the field and the problem; a service's validation errors
answer 422 with `{"detail", "errors"}`, keyed by the body's field names; a save on top of a
newer one answers 409 with the current revision.
"""

import datetime
import json

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import Status
from ninja.errors import HttpError
from pydantic import ValidationError as SchemaError

from stelsel.api.picture_schemas import FieldErrorsOut
from stelsel.api.schemas import ConflictOut, ErrorOut
from stelsel.lib.dates import plausible_date
from stelsel.organisations.access import people_on_board, schools_for_user

# The answers a writing route can give besides its success.
WRITE_ERRORS = {400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: FieldErrorsOut | ErrorOut}


def body_schema(schema) -> dict:
    """The request body in the OpenAPI document (the body is read by hand, after the access
    checks, so ninja does not see it)."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": schema.model_json_schema()}},
        }
    }


def read_body(request, schema, example: str):
    """The JSON body as `schema`: 400 when it is not JSON, 422 when it does not fit."""
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, RecursionError):  # bytes that are not UTF-8, JSON nested too deep
        message = _("The body must be JSON: %(example)s.") % {"example": example}
        raise HttpError(400, message) from None
    try:
        return schema.model_validate(body)
    except SchemaError as exc:
        raise HttpError(
            422,
            "; ".join(
                f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
                for error in exc.errors()
            ),
        ) from None


def invalid(errors: dict[str, list[str]]) -> Status:
    return Status(
        422,
        FieldErrorsOut(
            detail=" ".join([m for messages in errors.values() for m in messages]), errors=errors
        ),
    )


def service_errors(exc: ValidationError, fields: dict[str, str]) -> Status:
    """A service's ValidationError as 422, keyed by the body's field names (`fields` maps the
    service's names, such as "owner", to the body's, such as "owner_id")."""
    if hasattr(exc, "error_dict"):
        errors = {
            fields.get(name, name): ValidationError(errors).messages
            for name, errors in exc.error_dict.items()
        }
    else:
        errors = {"__all__": exc.messages}
    return invalid(errors)


def conflict(revision: int, current: int) -> Status:
    return Status(
        409,
        ConflictOut(
            detail=_(
                "Someone else saved this after revision %(revision)s was read; nothing was changed."
            )
            % {"revision": revision},
            revision=current,
        ),
    )


def person_on_board(board, person_id: int, current=None):
    """Someone with a role on the board, by id; whether they fit the unit is the service's
    to say. The present owner is kept even after losing their role, as the pages do."""
    if current is not None and current.pk == person_id:
        return current
    return people_on_board(board).filter(pk=person_id).first()


def one(queryset, pk: int | None, field: str, message: str, errors: dict):
    """The object of `queryset` with id `pk`, None when no id is given; an id that matches
    nothing adds `message` on `field`."""
    if pk is None:
        return None
    found = queryset.filter(pk=pk).first()
    if found is None:
        errors[field] = [message]
    return found


def owner(board, person_id: int | None, errors: dict, current=None, field: str = "owner_id"):
    """The person a body names as owner (see `person_on_board`), or an error on `field`."""
    if person_id is None:
        return None
    person = person_on_board(board, person_id, current)
    if person is None:
        errors[field] = [_("Nobody with this id has a role on this board.")]
    return person


def unit_school(user, board, school_id: int | None, errors: dict):
    """The school a body's `school_id` names (one the user sees), None for the board itself."""
    return one(
        schools_for_user(user, board),
        school_id,
        "school_id",
        _("There is no school with this id that you can see."),
        errors,
    )


def linked(queryset, ids, field: str, message: str, errors: dict) -> list:
    """The objects of `queryset` with these ids, or an error on `field` naming those missing."""
    found = list(queryset.filter(pk__in=ids))
    if len(found) != len(set(ids)):
        errors[field] = [message % {"ids": missing(ids, found)}]
    return found


def missing(ids, found) -> str:
    """The ids asked for that matched nothing, for a message."""
    return ", ".join(str(i) for i in sorted(set(ids) - {obj.pk for obj in found}))


def query_day(name: str, value: str | None) -> datetime.date | None:
    """A date from the query string, or None when it is left out."""
    if value is None or value == "":
        return None
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        raise HttpError(
            422, _("%(name)s must be a date written as YYYY-MM-DD.") % {"name": name}
        ) from None
    if not plausible_date(day):
        raise HttpError(422, _("Give a date between the years 1900 and 2200."))
    return day
