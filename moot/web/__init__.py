"""Moot's own web pages: server-rendered HTML over the same views and actions as the API.

Route modules (one per noun) each expose ``router``; ``routers()`` hands them to the app. Pages
read through ``moot.views`` and write through ``moot.actions``; nothing here touches tables.
"""

from __future__ import annotations

import importlib
from pathlib import Path

from fastapi import APIRouter

STATIC_DIR = Path(__file__).parent / "static"
ROUTE_MODULES = ("accounts", "posts", "comments", "communities", "people", "search", "inbox",
                 "moderation", "messages", "blocks",
                 "settings", "admin")


def routers() -> list[APIRouter]:
    return [importlib.import_module(f"moot.web.{name}").router for name in ROUTE_MODULES]
