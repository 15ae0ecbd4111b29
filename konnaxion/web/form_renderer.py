"""The form renderer of the whole site (settings.FORM_RENDERER)."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class WebFormRenderer(DjangoTemplates):
    """Django's renderer, with a boolean field drawn as its box then its label, on one line
    (web/includes/field.html); every other field as Django draws it."""

    field_template_name = "web/includes/field.html"
