"""Lemmy's HTTP API v3: one module of routes per noun."""

from __future__ import annotations

import importlib

from fastapi import APIRouter

# Route modules, each exposing ``api`` (an Api). Listed here so that the app has one place to
# learn what the v3 surface is.
ROUTE_MODULES = ("site", "account", "communities", "people", "comments", "inbox", "posts",
                 "search", "reports", "admin",
                 "moderation", "messages", "settings", "credentials", "resolve",
                 "site_admin")


def routers() -> list[APIRouter]:
    return [importlib.import_module(f"moot.api.v3.{name}").api.router for name in ROUTE_MODULES]
