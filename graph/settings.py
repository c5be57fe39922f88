"""All settings in one pydantic-settings class, read from the environment and `.env` when asked for.

Nothing here runs at import time: `Settings()` is built by whoever needs it.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MODELS = ("gemini-2.5-flash", "gemini-2.5-flash-lite", "gemini-2.0-flash")


def fingerprint(key: str) -> str:
    """A stable, non-reversible name for a key: safe to log, store and show."""
    return "key-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:8]


def _split(value: object) -> list[str]:
    if value is None:
        return []
    parts = value.replace("\n", ",").replace(";", ",").split(",") if isinstance(value, str) else list(value)  # type: ignore[call-overload]
    return [str(p).strip() for p in parts if str(p).strip()]


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
    request_timeout_s: float = Field(default=60.0, gt=0, validation_alias=AliasChoices("GEMINI_TIMEOUT"))
    mianjing_home: Path | None = Field(default=None, validation_alias=AliasChoices("MIANJING_HOME"))
    max_post_bytes: int = Field(default=2_000_000, ge=1, validation_alias=AliasChoices("MIANJING_MAX_POST_BYTES"))

    @field_validator("gemini_api_keys", mode="before")
    @classmethod
    def _keys(cls, value: object) -> list[str]:
        return list(dict.fromkeys(_split(value)))

    @field_validator("gemini_models", mode="before")
    @classmethod
    def _models(cls, value: object) -> list[str]:
        models = [m.removeprefix("models/") for m in _split(value)]
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
