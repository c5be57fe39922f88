"""Where the router's pool state lives, shared by every process that opens the same store.

The pool (graph/router/pool.py) keeps the policy; this module keeps the state and what must be atomic. The state
is one table of small JSON rows, (section, name) -> value: cooldowns, dead models, disabled keys, endpoint
trouble, model listings and per-bucket request counts. Two backends behind one interface:

* `SqliteStateStore` (the default): MIANJING_HOME/state.sqlite in WAL mode. A write is one `BEGIN
  IMMEDIATE` transaction; other processes wait for it (busy_timeout). Safe for any number of processes on
  one machine — not on a network file system, where SQLite's locks do not hold.
* `PostgresStateStore`: MIANJING_STATE_URL=postgresql://…, for processes on many machines. A write is one
  transaction under an advisory lock on its row.

`transact` is the atomic read-check-write the pool reserves a request slot with: the check against the
shared counts and the count itself are one transaction, so two processes never both take a bucket's last
slot. Nothing here runs at import time; a store connects on first use (and then migrates an old pool.json).
"""

from __future__ import annotations

import json
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

from graph.errors import ConfigError
from graph.settings import redact_url

if TYPE_CHECKING:
    from graph.router.models import AnswerCache
    from graph.settings import Settings

SECTIONS = ("cooldowns", "dead_models", "disabled_keys", "endpoints", "usage", "listed_models")
# Sections whose entries say "not before `until`".
MARKS = frozenset({"cooldowns", "dead_models", "disabled_keys", "endpoints"})
State = dict[str, dict[str, dict]]
T = TypeVar("T")
BUSY_TIMEOUT_S = 30
# PRAGMA application_id of state.sqlite ('mjng'), and the key space of PostgreSQL advisory locks.
APPLICATION_ID = 0x6D6A6E67
_POOL_TABLE = "CREATE TABLE IF NOT EXISTS mianjing_pool (section TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (section, name))"
_ANSWERS_TABLE = "CREATE TABLE IF NOT EXISTS mianjing_answers (ns TEXT NOT NULL, key TEXT NOT NULL, expiry DOUBLE PRECISION, value TEXT NOT NULL, PRIMARY KEY (ns, key))"


class StateStore(Protocol):
    """What the pool needs of its state; `where` names the file or database in messages."""

    where: str
    cache_where: str  # where answer_cache() keeps the answers

    def open(self) -> None: ...

    def snapshot(self) -> State: ...

    def put(self, section: str, rows: dict[str, dict]) -> None: ...

    def transact(self, section: str, name: str, change: Callable[[State], tuple[T, dict | None]]) -> T: ...

    def reset(self, keep: tuple[str, ...] = ()) -> None: ...

    def answer_cache(self) -> AnswerCache: ...

    def close(self) -> None: ...


def open_state_store(settings: Settings) -> StateStore:
    """The store the settings name; nothing is opened yet."""
    legacy = settings.home / "pool.json"
    if settings.mianjing_state_url is not None:
        return PostgresStateStore(settings.mianjing_state_url.get_secret_value(), legacy_json=legacy)
    return SqliteStateStore(settings.home / "state.sqlite", legacy_json=legacy)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def shape_problem(section: str, value: object) -> str | None:
    """Why an entry cannot be pool state, or None: read rows are checked, so a foreign or damaged row is
    a clear message and not a TypeError deep in the pool."""
    if not isinstance(value, dict):
        return f"a {section} entry that is not an object"
    if section in MARKS:
        ok = _number(value.get("until"))
    elif section == "usage":
        minute = value.get("minute")
        ok = (
            isinstance(value.get("day"), str)
            and isinstance(value.get("day_count"), int)
            and isinstance(minute, list)
            and all(_number(t) for t in minute)
        )
    else:
        models = value.get("models")
        ok = _number(value.get("at")) and isinstance(models, list) and all(isinstance(m, str) for m in models)
    return None if ok else f"a {section} entry of the wrong shape"


def legacy_rows(path: Path, text: str) -> dict[str, dict[str, dict]]:
    """The entries of an old pool.json (the JSON file this store replaces), checked whole: a damaged file
    is refused with one line, never silently read as an empty pool."""

    def refuse(problem: str) -> ConfigError:
        return ConfigError(
            f"the old pool state {path} cannot be migrated: {problem}. Fix it, or delete it to start with an "
            "empty pool (the cooldowns, dead models and disabled keys it holds are then forgotten)"
        )

    try:
        data = json.loads(text)
    except ValueError as exc:
        raise refuse(f"it is not valid JSON, perhaps truncated ({exc})") from None
    if not isinstance(data, dict):
        raise refuse("it is not a JSON object")
    unknown = sorted(set(data) - set(SECTIONS))
    if unknown:
        raise refuse(f"it has sections mianjing never wrote ({', '.join(map(str, unknown))})")
    for section, entries in data.items():
        if not isinstance(entries, dict):
            raise refuse(f"its {section} section is not an object")
        for value in entries.values():
            if problem := shape_problem(section, value):
                raise refuse(f"it has {problem}")
    return data


class _SqlStateStore:
    """The two backends' shared logic: one connection per process, used under a lock, opened on first use."""

    where = ""

    def __init__(self, legacy_json: Path | None) -> None:
        self.legacy_json = legacy_json
        self._lock = threading.RLock()
        self._db: Any = None
        self._pid = 0
        self._inherited: list[Any] = []

    # -- backend ---------------------------------------------------------------------------------------------
    def _connect(self) -> Any:
        raise NotImplementedError

    @contextmanager
    def _errors(self) -> Iterator[None]:
        yield

    @contextmanager
    def _write(self, db: Any, row: tuple[str, str] | None = None) -> Iterator[None]:
        yield

    def _broken(self, db: Any) -> bool:
        return False

    def _upsert(self, db: Any, section: str, rows: dict[str, dict], replace: bool = True) -> None:
        verb = "UPDATE SET value = excluded.value" if replace else "NOTHING"
        _execmany(
            db,
            f"INSERT INTO mianjing_pool (section, name, value) VALUES (?, ?, ?) ON CONFLICT (section, name) DO {verb}",
            [(section, name, json.dumps(value, separators=(",", ":"))) for name, value in rows.items()],
        )

    # -- shared ----------------------------------------------------------------------------------------------
    def _connection(self) -> Any:
        """This process's connection (a forked child opens its own); the first one migrates pool.json."""
        if self._db is None or self._pid != os.getpid():
            if self._db is not None:
                # Inherited through fork: never closed here (closing could checkpoint the parent's WAL).
                self._inherited.append(self._db)
            db = self._connect()
            try:
                if self.legacy_json is not None:
                    self._migrate(db, self.legacy_json)
            except BaseException:
                db.close()
                raise
            self._db, self._pid = db, os.getpid()
        return self._db

    def _run(self, op: Callable[[Any], T]) -> T:
        with self._lock, self._errors():
            db = self._connection()
            try:
                return op(db)
            except Exception:
                if not self._broken(db):
                    raise
            # The server closed the connection (restarted, failed over): one new connection, one more try.
            self._db = None
            return op(self._connection())

    fresh_start = "move it away"  # how to start with an empty pool, in a message

    def _damaged(self, problem: str) -> ConfigError:
        return ConfigError(
            f"the state database {self.where} is damaged ({problem}): {self.fresh_start} to start with an empty "
            "pool (the cooldowns and request counts it holds are forgotten), or restore it"
        )

    def _read(self, db: Any) -> State:
        state: State = {section: {} for section in SECTIONS}
        for section, name, raw in db.execute("SELECT section, name, value FROM mianjing_pool").fetchall():
            if section not in state:
                continue  # written by a newer mianjing: not ours to judge
            try:
                value = json.loads(raw)
            except ValueError:
                raise self._damaged(f"the {section} row {name!r} is not JSON") from None
            if problem := shape_problem(section, value):
                raise self._damaged(f"{problem}, {name!r}")
            state[section][name] = value
        return state

    def close(self) -> None:
        with self._lock:
            if self._db is not None and self._pid == os.getpid():
                self._db.close()
            self._db = None

    def __del__(self) -> None:
        with suppress(Exception):
            self.close()

    def open(self) -> None:
        """Connect now (and migrate pool.json): a damaged or unreachable store is said before any work."""
        self._run(lambda db: None)

    def snapshot(self) -> State:
        """The whole state as it is now, as plain dicts: {section: {name: value}}."""
        return self._run(self._read)

    def put(self, section: str, rows: dict[str, dict]) -> None:
        """Set these entries of a section, in one transaction."""

        def op(db: Any) -> None:
            with self._write(db):
                self._upsert(db, section, rows)

        if rows:
            self._run(op)

    def transact(self, section: str, name: str, change: Callable[[State], tuple[T, dict | None]]) -> T:
        """Atomically: lock the row (section, name), read the whole state, and write the row `change`
        returns (None: leave it). Returns what `change` returned first. Concurrent transactions on the
        same row, from any process on the store, run one after the other."""

        def op(db: Any) -> T:
            with self._write(db, (section, name)):
                result, value = change(self._read(db))
                if value is not None:
                    self._upsert(db, section, {name: value})
            return result

        return self._run(op)

    def reset(self, keep: tuple[str, ...] = ()) -> None:
        """Forget every section but `keep`."""
        forget = [s for s in SECTIONS if s not in keep]

        def op(db: Any) -> None:
            with self._write(db):
                _execmany(db, "DELETE FROM mianjing_pool WHERE section = ?", [(s,) for s in forget])

        self._run(op)

    def total_requests(self) -> int:
        """Requests counted today over every bucket (what the server should have logged)."""
        return sum(u["day_count"] for u in self.snapshot()["usage"].values())

    def _migrate(self, db: Any, path: Path) -> None:
        """An old pool.json becomes rows (what the store already holds wins), then pool.json.migrated.
        Idempotent, so two processes starting at once may both do it."""
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"cannot read the old pool state {path}: {exc}") from None
        sections = legacy_rows(path, text)
        with self._write(db):
            for section, rows in sections.items():
                self._upsert(db, section, rows, replace=False)
        with suppress(FileNotFoundError):
            path.rename(path.with_name(path.name + ".migrated"))


def _execmany(db: Any, sql: str, params: list[tuple]) -> None:
    if isinstance(db, sqlite3.Connection):
        db.executemany(sql, params)
    else:
        with db.cursor() as cur:
            cur.executemany(sql.replace("?", "%s"), params)


class SqliteStateStore(_SqlStateStore):
    """state.sqlite: WAL, one writer at a time (BEGIN IMMEDIATE), others wait up to BUSY_TIMEOUT_S."""

    def __init__(self, path: Path, legacy_json: Path | None = None, busy_timeout_s: float = BUSY_TIMEOUT_S) -> None:
        super().__init__(legacy_json)
        self.path = path
        self.busy_timeout_s = busy_timeout_s
        self.where = str(path)
        self.cache_path = path.with_name("llm_cache.sqlite")
        self.cache_where = str(self.cache_path)

    def _connect(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise ConfigError(f"cannot write the state folder {self.path.parent}: {exc.strerror or exc}") from None
        db = sqlite3.connect(self.path, timeout=self.busy_timeout_s, isolation_level=None, check_same_thread=False)
        try:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            app = db.execute("PRAGMA application_id").fetchone()[0]
            if app not in (0, APPLICATION_ID) or (tables and "mianjing_pool" not in tables):
                raise ConfigError(
                    f"{self.path} is not mianjing's state database (it holds other tables): move it away, or "
                    "point MIANJING_HOME at another folder"
                )
            db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL: a commit costs no fsync; a power cut may lose the last commits,
            # never the database's consistency.
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(f"PRAGMA busy_timeout={int(self.busy_timeout_s * 1000)}")
            if "mianjing_pool" not in tables:
                with self._write(db):
                    db.execute(_POOL_TABLE)
                    db.execute(f"PRAGMA application_id={APPLICATION_ID}")
            db.execute("SELECT section, name, value FROM mianjing_pool LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def _write(self, db: sqlite3.Connection, row: tuple[str, str] | None = None) -> Iterator[None]:
        # IMMEDIATE takes the write lock before the first read: what the transaction reads stays true.
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            with suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.DatabaseError as exc:
            message = str(exc)
            if "locked" in message or "busy" in message:
                raise ConfigError(
                    f"the state database {self.where} stayed locked for {self.busy_timeout_s:g} s ({message}): another "
                    "process holds it; try again"
                ) from None
            if isinstance(exc, sqlite3.OperationalError) and ("readonly" in message or "unable to open" in message):
                raise ConfigError(f"cannot write the state database {self.where} ({message})") from None
            raise self._damaged(message) from None

    def answer_cache(self) -> AnswerCache:
        """LangGraph's SqliteCache in llm_cache.sqlite beside the state; a damaged one is set aside and
        started anew, with a warning (it holds only answers that can be asked again)."""
        from graph.router.models import AnswerCache, open_answer_store

        try:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            store = open_answer_store(str(self.cache_path))
        except (OSError, sqlite3.OperationalError) as exc:
            # Cannot open or write it (permissions, a full disk): not damage, and not to be rebuilt.
            raise ConfigError(f"cannot write the answer cache {self.cache_path}: {exc}") from None
        except sqlite3.DatabaseError as exc:
            store = self._rebuild_cache(exc)
        return AnswerCache(store, rebuild=self._rebuild_cache)

    def _rebuild_cache(self, exc: BaseException) -> Any:
        from graph.router.models import open_answer_store

        aside = self.cache_path.with_name(self.cache_path.name + ".damaged")
        with suppress(OSError):
            self.cache_path.replace(aside)
        for suffix in ("-wal", "-shm"):
            with suppress(OSError):
                self.cache_path.with_name(self.cache_path.name + suffix).unlink()
        sys.stderr.write(
            f"mianjing: warning: the answer cache {self.cache_path} was damaged ({exc}); it was set aside as "
            f"{aside.name} and a new one started (cached answers are asked again)\n"
        )
        return open_answer_store(str(self.cache_path))


class PostgresStateStore(_SqlStateStore):
    """The same rows in PostgreSQL (psycopg 3, imported on first use); the answer cache is a second table."""

    fresh_start = "drop its table mianjing_pool"

    def __init__(self, url: str, legacy_json: Path | None = None) -> None:
        super().__init__(legacy_json)
        self.url = url
        self.where = self.cache_where = redact_url(url)

    def _connect(self) -> Any:
        try:
            import psycopg
        except ImportError:
            raise ConfigError(
                "MIANJING_STATE_URL names a PostgreSQL database, but psycopg is not installed: "
                "pip install 'mianjing[postgres]'"
            ) from None
        db = psycopg.connect(self.url, autocommit=True, connect_timeout=10, application_name="mianjing")
        try:
            with db.transaction():
                # Concurrent CREATE TABLE IF NOT EXISTS can collide in PostgreSQL's catalogue: one at a time.
                db.execute("SELECT pg_advisory_xact_lock(%s, 0)", (APPLICATION_ID,))
                db.execute(_POOL_TABLE)
                db.execute(_ANSWERS_TABLE)
            db.execute("SELECT section, name, value FROM mianjing_pool LIMIT 1").fetchall()
        except BaseException:
            db.close()
            raise
        return db

    @contextmanager
    def _write(self, db: Any, row: tuple[str, str] | None = None) -> Iterator[None]:
        with db.transaction():
            if row is not None:
                # Held until commit; every writer of this row takes it first, whichever machine it is on.
                db.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (APPLICATION_ID, "|".join(row)))
            yield

    def _broken(self, db: Any) -> bool:
        return bool(db.broken or db.closed)

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except Exception as exc:
            if not type(exc).__module__.startswith("psycopg"):
                raise
            detail = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
            password = _password(self.url)
            if password:
                detail = detail.replace(password, "***")
            if type(exc).__name__ == "OperationalError":
                raise ConfigError(
                    f"cannot reach the state database {self.where} ({detail}): check MIANJING_STATE_URL and that "
                    "the server is up"
                ) from None
            raise ConfigError(
                f"the state database {self.where} cannot be used ({detail}): is it mianjing's, and may this user "
                "create tables there?"
            ) from None

    def answer_cache(self) -> AnswerCache:
        from graph.router.models import AnswerCache

        return AnswerCache(PostgresAnswers(self))


def _password(url: str) -> str | None:
    from urllib.parse import unquote, urlsplit

    with suppress(ValueError):
        password = urlsplit(url).password
        return unquote(password) if password else None
    return None


class PostgresAnswers:
    """The answer cache on the state store's PostgreSQL: LangGraph ships no PostgreSQL cache (its
    langgraph-checkpoint-postgres has the checkpointer and the store), so this is the part of its cache
    interface AnswerCache uses — get, set and clear with `BaseCache`'s signatures — as one table."""

    def __init__(self, store: PostgresStateStore) -> None:
        self.store = store

    def get(self, keys: list[tuple[tuple[str, ...], str]]) -> dict:
        def op(db: Any) -> dict:
            found = {}
            for ns, key in keys:
                row = db.execute(
                    "SELECT value FROM mianjing_answers WHERE ns = %s AND key = %s AND (expiry IS NULL OR expiry > %s)",
                    (",".join(ns), key, time.time()),
                ).fetchone()
                if row is not None:
                    found[(ns, key)] = json.loads(row[0])
            return found

        return self.store._run(op)

    def set(self, mapping: dict) -> None:
        now = time.time()
        rows = [
            (",".join(ns), key, None if ttl is None else now + ttl, json.dumps(value, ensure_ascii=False))
            for (ns, key), (value, ttl) in mapping.items()
        ]

        def op(db: Any) -> None:
            with db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO mianjing_answers (ns, key, expiry, value) VALUES (%s, %s, %s, %s) "
                    "ON CONFLICT (ns, key) DO UPDATE SET expiry = excluded.expiry, value = excluded.value",
                    rows,
                )

        self.store._run(op)

    def clear(self, namespaces: list[tuple[str, ...]] | None = None) -> None:
        if namespaces is None:
            self.store._run(lambda db: db.execute("DELETE FROM mianjing_answers"))
        else:
            names = [",".join(ns) for ns in namespaces]
            self.store._run(lambda db: db.execute("DELETE FROM mianjing_answers WHERE ns = ANY(%s)", (names,)))


def check_database(path: Path, what: str, fix: str) -> None:
    """A SQLite file that is there must be a readable database: one line naming it and what to do, rather
    than a DatabaseError from deep inside a library. Only the header and schema are read (cheap)."""
    try:
        if path.stat().st_size == 0:
            return
    except OSError:
        return
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            db.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.DatabaseError as exc:
        raise ConfigError(f"{what} {path} is damaged ({exc}): {fix}") from None


def check_checkpoints(path: Path) -> None:
    """A batch's checkpoint database, before LangGraph's saver opens it."""
    check_database(
        path,
        "the batch checkpoint database",
        "delete it and run again (finished posts are kept; unfinished ones start over)",
    )
