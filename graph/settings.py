"""All settings in one pydantic-settings class, read from the environment and `.env` when asked for.

Nothing here runs at import time: `Settings()` is built by whoever needs it.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODELS = ("gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash")
# What a Gemini model id looks like (gemini-2.5-flash, gemma-3-27b-it, gemini-2.0-flash-001): a typo such as
# '[gemini-2.5-flash' is a configuration error at load time, not a 404 in the middle of a batch.
MODEL_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
WHOLE_NUMBER = re.compile(r"[0-9]{1,9}")
# Reading a post is copying and labelling, not reasoning: thinking only costs time and tokens there.
DEFAULT_THINKING = {"read": 0, "topics": 0, "advice": 512}


def fingerprint(key: str) -> str:
    """A stable, non-reversible name for a key: safe to log, store and show."""
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def redact_url(url: str) -> str:
    """A database URL safe to show: no password, no query (which may carry one)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        user = f"{parts.username}@" if parts.username else ""
        host = f"[{parts.hostname}]" if parts.hostname and ":" in parts.hostname else parts.hostname or ""
        port = f":{parts.port}" if parts.port else ""
    except ValueError:
        return "(a malformed URL)"
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


def _split(value: object) -> list[str]:
    if value is None:
        return []
    parts = value.replace("\n", ",").replace(";", ",").split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [str(p).strip() for p in parts if str(p).strip()]


def _unusable_home(home: Path) -> str | None:
    """Why the state folder cannot be used, or None. A folder not made yet is fine if it can be made."""
    probe = home
    while True:
        try:
            mode = probe.stat().st_mode
            break
        except (FileNotFoundError, NotADirectoryError):
            if probe.parent == probe:
                return None
            probe = probe.parent
        except OSError as exc:
            return f"cannot look into {probe}: {exc.strerror or exc}"
    where = "it" if probe == home else str(probe)
    if not stat.S_ISDIR(mode):
        return f"{where} is a file, not a folder"
    if not os.access(probe, os.W_OK | os.X_OK):
        return f"{where} is not writable"
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True)

    gemini_api_keys: Annotated[list[SecretStr], NoDecode] = Field(
        default_factory=list,
        validation_alias=AliasChoices("GEMINI_API_KEYS", "GEMINI_API_KEY", "GOOGLE_API_KEY"),
        description="Comma- or newline-separated API keys.",
    )
    gemini_key_projects: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        validation_alias=AliasChoices("GEMINI_KEY_PROJECTS"),
        description="Which Google Cloud project each key belongs to, as 'fingerprint=project' pairs "
        "(comma separated). Quota is per project: keys of one project share one bucket.",
    )
    gemini_models: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(DEFAULT_MODELS),
        validation_alias=AliasChoices("GEMINI_MODELS"),
        description="The model ladder, best first.",
    )
    gemini_base_url: str | None = Field(
        default=None,
        validation_alias=AliasChoices("GOOGLE_GEMINI_BASE_URL", "GEMINI_BASE_URL"),
        description="Endpoint override (a proxy, or the fake server in tests).",
    )
    gemini_api_version: str = Field(default="v1beta", validation_alias=AliasChoices("GEMINI_API_VERSION"))
    gemini_rpm: int = Field(default=10, ge=1, validation_alias=AliasChoices("GEMINI_RPM"))
    gemini_rpd: int = Field(default=20, ge=1, validation_alias=AliasChoices("GEMINI_RPD"))
    gemini_limits: Annotated[dict[str, str], NoDecode] = Field(
        default_factory=dict,
        validation_alias=AliasChoices("GEMINI_LIMITS"),
        description="Per-model limits as 'model=RPM/RPD' pairs, e.g. 'gemini-2.5-flash=10/250'.",
    )
    # Long enough for a whole post read in one structured answer, short enough for someone waiting.
    request_timeout_s: float = Field(default=30.0, gt=0, validation_alias=AliasChoices("GEMINI_TIMEOUT"))
    gemini_thinking: Annotated[dict[str, int], NoDecode] = Field(
        default_factory=lambda: dict(DEFAULT_THINKING),
        validation_alias=AliasChoices("GEMINI_THINKING"),
        description="Thinking budget (tokens) per kind of request, as 'read=0,topics=0,advice=512'; -1 lets the "
        "model decide. Applies to Gemini 2.5 models, whose thinking is on by default.",
    )
    mianjing_home: Path | None = Field(default=None, validation_alias=AliasChoices("MIANJING_HOME"))
    mianjing_state_url: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("MIANJING_STATE_URL"),
        description="postgresql://user:password@host:port/database: the pool's state and the answer cache in "
        "PostgreSQL, shared by processes on many machines. Unset: SQLite in MIANJING_HOME.",
    )
    max_post_bytes: int = Field(default=2_000_000, ge=1, validation_alias=AliasChoices("MIANJING_MAX_POST_BYTES"))

    @field_validator("gemini_api_keys", mode="before")
    @classmethod
    def _keys(cls, value: object) -> list[str]:
        return list(dict.fromkeys(_split(value)))

    @field_validator("gemini_models", mode="before")
    @classmethod
    def _models(cls, value: object) -> list[str]:
        models = [m.removeprefix("models/") for m in _split(value)]
        for model in models:
            if not MODEL_NAME.fullmatch(model):
                raise ValueError(
                    f"{model!r} is not a model name (letters, digits, '.', '-', '_'; e.g. gemini-2.5-flash)"
                )
        return list(dict.fromkeys(models)) or list(DEFAULT_MODELS)

    @field_validator("gemini_key_projects", "gemini_limits", mode="before")
    @classmethod
    def _pairs(cls, value: object) -> dict[str, str]:
        if isinstance(value, dict):
            return {str(k): str(v) for k, v in value.items()}
        pairs = {}
        for item in _split(value):
            name, sep, rest = item.partition("=")
            if not sep:
                raise ValueError(f"expected name=value, got {item!r}")
            pairs[name.strip()] = rest.strip()
        return pairs

    @field_validator("gemini_thinking", mode="before")
    @classmethod
    def _thinking(cls, value: object) -> dict[str, int]:
        pairs = cls._pairs(value) if not isinstance(value, dict) else value
        budgets = dict(DEFAULT_THINKING)
        for name, raw in pairs.items():
            if name not in DEFAULT_THINKING:
                raise ValueError(f"unknown request kind {name!r} (expected {', '.join(DEFAULT_THINKING)})")
            try:
                budgets[name] = int(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a whole number of tokens") from None
            if budgets[name] < -1:
                raise ValueError(f"{name}={raw}: a budget is -1 (the model decides), 0 (off) or more")
        return budgets

    def thinking_budget(self, kind: str, model: str) -> int | None:
        """The budget to send for this kind of request on this model; None: send none (the model has no
        thinking setting). 2.5 Pro cannot switch thinking off: its floor is 128 tokens."""
        if not model.startswith("gemini-2.5"):
            return None
        budget = self.gemini_thinking.get(kind, 0)
        return max(budget, 128) if "pro" in model and budget >= 0 else budget

    @field_validator("gemini_limits")
    @classmethod
    def _limits(cls, value: dict[str, str]) -> dict[str, str]:
        # Checked here, not where the pool reads them: a typo must stop the run before any request.
        limits = {}
        for model, raw in value.items():
            rpm, sep, rpd = raw.partition("/")
            numbers = [rpm, rpd] if sep else [rpm]
            if not MODEL_NAME.fullmatch(model.removeprefix("models/")) or not all(
                WHOLE_NUMBER.fullmatch(n.strip()) and int(n) > 0 for n in numbers
            ):
                raise ValueError(
                    f"{model}={raw}: expected model=RPM/RPD, whole numbers above 0 (e.g. gemini-2.5-flash=10/250)"
                )
            limits[model.removeprefix("models/")] = "/".join(n.strip() for n in numbers)
        return limits

    @field_validator("gemini_base_url")
    @classmethod
    def _base_url(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        from urllib.parse import urlsplit

        url = value.strip()
        try:
            parts = urlsplit(url)
            # .port raises ValueError for a port that is not a number from 0 to 65535.
            ok = parts.scheme in ("http", "https") and bool(parts.hostname) and parts.port != -1
        except ValueError:
            ok = False
        if not ok:
            raise ValueError(f"{url!r} is not an address of the form http(s)://host[:port]")
        return url

    @field_validator("mianjing_home")
    @classmethod
    def _home(cls, value: Path | None) -> Path | None:
        # A file or a read-only folder here would otherwise fail only when the pool first saves.
        if value is None:
            return None
        home = value.expanduser()
        problem = _unusable_home(home)
        if problem:
            raise ValueError(f"cannot write the state folder {home}: {problem}")
        return home

    @field_validator("mianjing_state_url", mode="before")
    @classmethod
    def _state_url(cls, value: object) -> str | None:
        if value is None:
            return None
        url = (value.get_secret_value() if isinstance(value, SecretStr) else str(value)).strip()
        if not url:
            return None
        from urllib.parse import urlsplit

        try:
            ok = urlsplit(url).scheme in ("postgresql", "postgres")
        except ValueError:
            ok = False
        if not ok:
            # The URL may carry a password: the message shows it without one.
            raise ValueError(
                f"{redact_url(url)!r} is not a PostgreSQL URL (postgresql://user:password@host:port/database); "
                "unset it to keep the state in MIANJING_HOME"
            )
        return url

    @property
    def home(self) -> Path:
        if self.mianjing_home is not None:
            return self.mianjing_home
        from platformdirs import user_cache_path

        return user_cache_path("mianjing", appauthor=False)

    @property
    def has_keys(self) -> bool:
        return bool(self.gemini_api_keys)

    def key_by_fingerprint(self, fp: str) -> str | None:
        for secret in self.gemini_api_keys:
            key = secret.get_secret_value()
            if fingerprint(key) == fp:
                return key
        return None

    def fingerprints(self) -> list[str]:
        return [fingerprint(s.get_secret_value()) for s in self.gemini_api_keys]

    def project_of(self, fp: str) -> str:
        return self.gemini_key_projects.get(fp, fp)

    def limits(self, model: str) -> tuple[int, int]:
        """(requests per minute, requests per day) for a model."""
        raw = self.gemini_limits.get(model)
        if raw:
            rpm, _, rpd = raw.partition("/")
            return int(rpm), int(rpd or self.gemini_rpd)
        return self.gemini_rpm, self.gemini_rpd
