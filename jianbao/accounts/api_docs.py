"""The API docs page: django-ninja's Swagger UI with its assets served from our static files."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from ninja.openapi.docs import Swagger

SWAGGER_UI_VERSION = "5.35.0"


class LocalSwagger(Swagger):
    """Swagger UI from jianbao/static/vendor (no CDN), started by a static script (no inline JS)."""

    template = "accounts/api_docs.html"

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        settings = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        context = {"swagger_settings": settings, "api": api, "version": SWAGGER_UI_VERSION}
        return render(request, self.template, context)
