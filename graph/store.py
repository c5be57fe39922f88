"""Where the router's pool state lives between runs, behind one small interface.

A single machine uses a JSON file in MIANJING_HOME; a fleet on LangGraph Server would implement the same
two methods over Postgres or Redis.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Protocol

from graph.errors import ConfigError


class PoolStore(Protocol):
    def load(self) -> dict: ...

    def save(self, data: dict) -> None: ...


class MemoryStore:
    def __init__(self, data: dict | None = None) -> None:
        self.data = json.loads(json.dumps(data or {}))

    def load(self) -> dict:
        return json.loads(json.dumps(self.data))

    def save(self, data: dict) -> None:
        self.data = json.loads(json.dumps(data))


class JsonFileStore:
    """Atomic writes (temp file + rename), so a killed run never leaves a truncated file."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def load(self) -> dict:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def save(self, data: dict) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".pool-", suffix=".json")
        except OSError as exc:
            raise ConfigError(f"cannot write the state folder {self.path.parent}: {exc.strerror or exc}") from None
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                json.dump(data, fh, ensure_ascii=False, indent=1, sort_keys=True)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
