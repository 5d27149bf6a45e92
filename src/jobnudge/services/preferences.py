"""Where a user's settings and draft-template overrides live, for the web app.

Local mode keeps them where the command line reads them: the TOML settings file and the
``templates/`` folder beside it, so ``nudge`` and the pages always agree. With accounts, each
user's settings are a document in ``users.settings`` (the same shape as the TOML file) and their
template overrides travel inside it; drafts read them from a folder named by the hash of their
content, written on first use, so every worker of a server sees the same files.
"""

from __future__ import annotations

import hashlib
import json
import os
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from jobnudge import config
from jobnudge.config import Settings
from jobnudge.errors import ConfigError, UsageError

if TYPE_CHECKING:
    from jobnudge.store import Store

TEMPLATES_KEY = "templates"
MAPPINGS_KEY = "import_mappings"  # saved spreadsheet column mappings (services/importing.py)
KEPT_KEYS = (TEMPLATES_KEY, MAPPINGS_KEY)
"""Parts of an account's settings document that are data, not settings: never parsed as
settings, and kept when the settings are saved."""
MAX_TEMPLATE = 10_000
SERVER_KEYS = ("database", "web")


class Preferences(Protocol):
    def settings(self, owner: int) -> Settings: ...

    def document(self, owner: int) -> dict[str, Any]: ...

    def save(self, owner: int, document: Mapping[str, Any]) -> Settings: ...

    def templates(self, owner: int) -> dict[str, str]: ...

    def save_template(self, owner: int, name: str, text: str | None) -> None: ...

    def templates_dir(self, owner: int) -> Path | None: ...


def check_template(name: str, text: str) -> str:
    """``text`` if it is a Jinja2 template for a known rule and channel that renders in the
    sandbox (tried on a sample nudge), else a UsageError naming the line and the fix."""
    from jobnudge.domain import Channel
    from jobnudge.drafts import MESSAGE_CHANNELS, TemplateProblem
    from jobnudge.drafts.render import try_template

    rule, _, rest = name.partition("/")
    channel = rest.removesuffix(".j2")
    if rule not in MESSAGE_CHANNELS or channel not in {c.value for c in Channel}:
        raise UsageError(f"template: '{name}' is not a draft template.")
    if Channel(channel) not in MESSAGE_CHANNELS[rule]:
        raise UsageError(f"template: '{rule}' has no {channel} draft.")
    if len(text) > MAX_TEMPLATE:
        raise UsageError(f"text: keep a template under {MAX_TEMPLATE} characters.")
    if channel == "email" and not text.lstrip().lower().startswith("subject:"):
        raise UsageError("text: an email template must begin with a 'Subject: ...' line.")
    text = text.replace("\r\n", "\n")
    try:
        try_template(rule, Channel(channel), text)
    except TemplateProblem as exc:
        raise UsageError(f"text: {exc.message}") from exc
    return text


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # JSON string escapes are valid TOML
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"cannot write {value!r} as TOML")


def to_toml(document: Mapping[str, Any]) -> str:
    """A settings document (tables of scalars and lists) as TOML text."""
    lines = ["# jobnudge settings (also edited by the web app's Settings page)"]
    for table, values in document.items():
        if not isinstance(values, Mapping) or not values:
            continue
        lines.append("")
        lines.append(f"[{table}]")
        for key, value in values.items():
            lines.append(f"{key} = {_toml_value(value)}")
    return "\n".join(lines) + "\n"


class FilePreferences:
    """Local mode: the settings file and its templates folder, shared with the command line."""

    def __init__(self, path: Path | None = None, initial: Settings | None = None) -> None:
        self.path = path or config.config_path()
        self.initial = initial  # what to use while there is no settings file
        self._cache: tuple[float, Settings] | None = None

    def settings(self, owner: int) -> Settings:
        try:
            stamp = self.path.stat().st_mtime
        except FileNotFoundError:
            if self.initial is not None:
                return self.initial
            stamp = -1.0
        if self._cache is None or self._cache[0] != stamp:
            self._cache = (stamp, config.load(self.path))
        return self._cache[1]

    def document(self, owner: int) -> dict[str, Any]:
        try:
            return tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(
                f"{self.path}: not valid TOML ({exc}); fix the line it names."
            ) from exc

    def save(self, owner: int, document: Mapping[str, Any]) -> Settings:
        settings = config.parse(document, "settings")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(self.path.name + ".tmp")
        temporary.write_text(to_toml(document), encoding="utf-8")
        temporary.replace(self.path)
        self._cache = None
        return settings

    def templates_dir(self, owner: int) -> Path | None:
        return self.path.parent / "templates"

    def templates(self, owner: int) -> dict[str, str]:
        root = self.path.parent / "templates"
        if not root.is_dir():
            return {}
        return {
            str(p.relative_to(root)): p.read_text(encoding="utf-8") for p in root.glob("*/*.j2")
        }

    def save_template(self, owner: int, name: str, text: str | None) -> None:
        target = self.path.parent / "templates" / name
        if text is None:
            target.unlink(missing_ok=True)
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(check_template(name, text), encoding="utf-8")


class StoredPreferences:
    """Accounts: each user's settings document in the database."""

    def __init__(self, store: Store, cache_dir: Path) -> None:
        self.store = store
        self.cache_dir = cache_dir

    def document(self, owner: int) -> dict[str, Any]:
        return self.store.user_settings(owner)

    def settings(self, owner: int) -> Settings:
        doc = {k: v for k, v in self.document(owner).items() if k not in (*KEPT_KEYS, *SERVER_KEYS)}
        return config.parse(doc, "settings")

    def save(self, owner: int, document: Mapping[str, Any]) -> Settings:
        # The database and [web] belong to whoever runs the server, never to an account.
        doc = {k: v for k, v in document.items() if k not in (*KEPT_KEYS, *SERVER_KEYS)}
        settings = config.parse(doc, "settings")
        current = self.document(owner)
        for key in KEPT_KEYS:
            if current.get(key):
                doc[key] = current[key]
        with self.store.transaction() as tx:
            tx.set_user_settings(owner, doc)
        return settings

    def templates(self, owner: int) -> dict[str, str]:
        found = self.document(owner).get(TEMPLATES_KEY, {})
        return dict(found) if isinstance(found, Mapping) else {}

    def save_template(self, owner: int, name: str, text: str | None) -> None:
        doc = self.document(owner)
        templates = dict(doc.get(TEMPLATES_KEY, {}))
        if text is None:
            templates.pop(name, None)
        else:
            templates[name] = check_template(name, text)
        doc[TEMPLATES_KEY] = templates
        with self.store.transaction() as tx:
            tx.set_user_settings(owner, doc)

    def templates_dir(self, owner: int) -> Path | None:
        templates = self.templates(owner)
        if not templates:
            return None
        digest = hashlib.sha256(json.dumps(templates, sort_keys=True).encode()).hexdigest()
        folder = self.cache_dir / digest[:24]
        if not folder.is_dir():
            staging = self.cache_dir / f".{digest[:24]}.{os.getpid()}"
            for name, text in templates.items():
                target = staging / name
                if ".." in Path(name).parts:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(text, encoding="utf-8")
            staging.mkdir(parents=True, exist_ok=True)
            try:
                staging.rename(folder)
            except OSError:  # another worker wrote the same folder first
                import shutil

                shutil.rmtree(staging, ignore_errors=True)
        return folder
