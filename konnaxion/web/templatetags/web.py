"""Template tags of the layout: optional links and the import map of the vendored modules."""

from __future__ import annotations

import json
from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.urls import NoReverseMatch, reverse
from django.utils.html import json_script
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

IMPORTMAP = "web/vendor/importmap.json"


@register.simple_tag
def url_if_exists(name: str, *args: object) -> str:
    """The URL named `name`, or "" while no route has that name (pages not built yet)."""
    try:
        return reverse(name, args=args or None)
    except NoReverseMatch:
        return ""


@register.simple_tag(takes_context=True)
def current_page(context: template.Context, url: str) -> SafeString | str:
    """` aria-current="page"` on the link of the section the visitor is in, else ""."""
    request = context.get("request")
    if not request or not url:
        return ""
    here = request.path
    if here == url or (url != "/" and here.startswith(url)):
        return mark_safe(' aria-current="page"')
    return ""


@cache
def _importmap() -> dict:
    with open(finders.find(IMPORTMAP), encoding="utf-8") as source:
        entries = json.load(source)["imports"]
    return {"imports": {name: static(f"web/vendor/{path}") for name, path in entries.items()}}


@register.simple_tag(takes_context=True)
def vendor_importmap(context) -> SafeString:
    """`<script type="importmap">` resolving `yjs`, `lib0/...`, `three` and `three/addons/...`
    to the vendored ES modules.

    Carries the request's CSP nonce: the policy allows no other inline script."""
    # json_script escapes <, > and &, so the JSON cannot close the element early.
    tag = json_script(_importmap())
    nonce = getattr(context.get("request"), "csp_nonce", "")
    opening = f'type="importmap" nonce="{nonce}"' if nonce else 'type="importmap"'
    return mark_safe(tag.replace('type="application/json"', opening, 1))  # noqa: S308
