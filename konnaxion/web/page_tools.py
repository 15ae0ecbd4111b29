"""What every page view does the same way: pages of a list, htmx requests, and a service's
refusal shown on a form, in a message, or as the 403 page."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from django.core.exceptions import PermissionDenied as HttpPermissionDenied
from django.core.paginator import Page, Paginator
from django.forms import Form
from django.http import HttpRequest

from konnaxion.core.errors import ApplicationError, PermissionDenied

PAGE_SIZE = 20
Result = TypeVar("Result")


def page_of(request: HttpRequest, items) -> Page:
    """The page of `items` the `page` parameter asks for (the first or last when it is not one)."""
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def attempt(call: Callable[[], Result]) -> Result | ApplicationError:
    """Run a service for a page view: its result, or its refusal for the view to show (on the
    form, in a message). A permission refusal is not returned: it is the 403 page."""
    try:
        return call()
    except PermissionDenied as refusal:
        raise HttpPermissionDenied(refusal.message) from refusal
    except ApplicationError as refusal:
        return refusal


def refusal_on_form(
    refusal: ApplicationError,
    form: Form,
    message: str,
    *,
    field_messages: Mapping[str, str] | None = None,
    otherwise: str | None = None,
) -> None:
    """Put a refusal on the form fields it names (`field_messages` words some of them), else on
    the `otherwise` field, else on the whole form."""
    named = [name for name in refusal.details.get("fields") or {} if name in form.fields]
    for name in named:
        form.add_error(name, (field_messages or {}).get(name, message))
    if not named:
        form.add_error(otherwise, message)
