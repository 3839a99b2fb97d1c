"""One Settings object, read from MOOT_* environment variables and an optional TOML file.

Precedence: environment variable > TOML file (``MOOT_CONFIG=path.toml``, keys without the
``MOOT_`` prefix, lower case) > default. Every setting is listed in README.md.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit


class ConfigError(ValueError):
    """A setting has a value Moot cannot use."""


def _as_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ConfigError(f"not a boolean: {value!r}")


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///moot.db"
    host: str = "127.0.0.1"
    port: int = 8536
    # Scheme, host and port used in ids and links; derived from host/port when empty.
    public_url: str = ""
    setup_admin_username: str = ""
    setup_admin_password: str = ""
    setup_admin_email: str = ""
    setup_site_name: str = ""
    # Validate every API response against its declared model (tests turn this on).
    validate_responses: bool = False
    # Outgoing fetches may reach private and loopback addresses (test networks only).
    allow_private_network: bool = False
    # `moot serve` also runs the federation worker (inbox processing, delivery) in a thread.
    federation_worker: bool = True
    # Per-process worker threads for the synchronous database work of request handlers.
    threads: int = 8
    # Server processes sharing the port (`moot serve`); the first also runs the federation
    # worker. Each process keeps its own site cache (re-read every 5 s) and rate-limit counts.
    processes: int = 1
    # `moot serve` writes votes in a process of its own (docs/decisions/0048); off: on a thread
    # of each server process.
    vote_writer_process: bool = True
    # Anonymous reads answered from memory until the next commit (docs/decisions/0026).
    page_cache: bool = True
    page_cache_mb: int = 32
    # The federation worker reads a followed remote community (its Group, moderators and
    # featured posts) again once it is older than this (decision 0029); 0: never.
    community_refresh_hours: int = 24
    log_level: str = "info"
    # Outgoing e-mail (verification, password reset); off while smtp_host is empty.
    smtp_host: str = ""
    # 0: the usual port of smtp_tls (25 for none, 587 for starttls, 465 for tls).
    smtp_port: int = 0
    # "none", "starttls" or "tls" (implicit TLS from the first byte).
    smtp_tls: str = "starttls"
    smtp_login: str = ""
    smtp_password: str = ""
    # Sender address; noreply@<host> when empty.
    smtp_from: str = ""
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def base_url(self) -> str:
        if self.public_url:
            return self.public_url.rstrip("/")
        return f"http://localhost:{self.port}"

    @property
    def hostname(self) -> str:
        """The host (with a non-default port) that names this instance, e.g. ``moot-alpha:8541``."""
        return urlsplit(self.base_url).netloc

    @property
    def smtp_enabled(self) -> bool:
        return bool(self.smtp_host)

    @property
    def smtp_sender(self) -> str:
        return self.smtp_from or f"noreply@{urlsplit(self.base_url).hostname}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def replace(self, **changes: object) -> Settings:
        return dataclasses.replace(self, **changes)  # type: ignore[arg-type]


_CONVERTERS: dict[type, Callable[[Any], object]] = {int: int, bool: _as_bool, str: str}


def load_settings(environ: dict[str, str] | None = None, **overrides: object) -> Settings:
    env = dict(os.environ if environ is None else environ)
    values: dict[str, object] = {}
    config_path = env.get("MOOT_CONFIG")
    if config_path:
        try:
            with open(config_path, "rb") as fh:
                values.update(tomllib.load(fh))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read MOOT_CONFIG={config_path}: {exc}") from exc
    known = {f.name: f for f in dataclasses.fields(Settings) if f.name != "extra"}
    for name in known:
        key = "MOOT_" + name.upper()
        if key in env:
            values[name] = env[key]
    values.update({k: v for k, v in overrides.items() if v is not None})
    unknown = set(values) - set(known)
    if unknown:
        raise ConfigError(f"unknown settings: {', '.join(sorted(unknown))}")
    typed: dict[str, object] = {}
    for name, value in values.items():
        kind = type(getattr(Settings, name)) if hasattr(Settings, name) else str
        try:
            typed[name] = _CONVERTERS.get(kind, str)(value)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"bad value for {name}: {value!r}") from exc
    settings = Settings(**typed)  # type: ignore[arg-type]
    if settings.smtp_tls not in ("none", "starttls", "tls"):
        raise ConfigError("MOOT_SMTP_TLS must be none, starttls or tls")
    if not settings.database_url.startswith(("sqlite", "postgresql")):
        raise ConfigError("MOOT_DATABASE_URL must start with sqlite:// or postgresql://")
    return settings


def configure_logging(settings: Settings) -> None:
    """Log lines with time, level and logger at the configured level (every process of
    `moot serve`, the vote writer's included)."""
    logging.basicConfig(level=settings.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
