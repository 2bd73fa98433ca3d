"""Plain records (plain.py): what reading commands run the rules on, without pydantic.

They must stand for the models exactly (the same fields, defaults, types of times,
the same JSON when written out), the commands that only read must not import pydantic
at all, and the settings they read must be the ones the model validated.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from conftest import infoint
from infoint import models, plain, settings_seal
from infoint.files import Paths

MODELS: dict[str, type[models.Record]] = {
    "contact": models.Contact,
    "meeting": models.Meeting,
    "outreach": models.Outreach,
    "reply": models.Reply,
    "heard": models.Heard,
    "thank": models.Thank,
    "touch": models.Touch,
}


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_plain_fields_are_the_models_fields_in_order_with_their_defaults(kind: str) -> None:
    model = MODELS[kind]
    expected: list[tuple[str, object]] = []
    for name, info in model.model_fields.items():
        if info.default_factory is list:
            expected.append((name, plain.LIST))
        elif info.is_required() or info.default_factory is not None:
            expected.append((name, plain.REQUIRED))  # a stored record always has its uuid
        else:
            expected.append((name, info.default))
    assert list(plain.FIELDS[kind]) == expected
    _, _, moments, days, _ = models._shape(model)
    assert set(moments) == {n for n, _ in plain.FIELDS[kind] if n in plain.MOMENTS}
    assert set(days) == {n for n, _ in plain.FIELDS[kind] if n in plain.DAYS}


def test_plain_settings_defaults_are_the_models() -> None:
    assert models.Settings().model_dump(mode="json") == plain.SETTINGS
    assert plain.settings().model_dump() == models.Settings().model_dump(mode="json")  # type: ignore[attr-defined]


SAMPLES: dict[str, dict[str, Any]] = {
    "contact": {"id": 3, "handle": "ada-lovelace", "name": "Ada Lovelace", "tags": ["math"],
                "connected_on": "2024-02-03", "let_go_at": "2026-01-02T03:04:05+02:00",
                "a_newer_field": {"kept": True}},
    "meeting": {"id": 4, "contact": "c-1", "start": "2026-12-03T10:00:00Z", "minutes": 25,
                "mode": "in_person", "place": "Blue Bottle", "venue": "cafe",
                "advice": ["ship it"]},
    "outreach": {"id": 5, "contact": "c-1", "at": "2026-11-20T08:00:00.250000Z",
                 "who_i_am": "A designer.", "why_you": "Your talk.", "goal": "Learn."},
    "reply": {"id": 6, "contact": "c-1", "at": "2026-11-21T08:00:00Z", "answer": "referred",
              "referred_to": "c-2"},
    "heard": {"id": 7, "contact": "c-1", "at": "2026-11-22T08:00:00Z", "note": "hi"},
    "thank": {"id": 8, "contact": "c-1", "at": "2026-11-23T08:00:00Z"},
    "touch": {"id": 9, "contact": "c-1", "at": "2026-11-24T08:00:00Z", "forced": True},
}  # fmt: skip


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_a_plain_record_reads_and_writes_as_its_model(kind: str) -> None:
    stamp = {"uuid": f"u-{kind}", "created_at": "2026-11-01T00:00:00Z",
             "updated_at": "2026-11-02T00:00:00Z"}  # fmt: skip
    stored = MODELS[kind].model_validate({**stamp, **SAMPLES[kind]})
    written = stored.model_dump(mode="json")  # what the store holds
    record = {
        "contact": plain.contact,
        "meeting": plain.meeting,
    }.get(kind, plain.event)(written)
    assert record.model_dump(mode="json") == written
    assert list(record.model_dump(mode="json")) == list(written)
    for name in MODELS[kind].model_fields:
        assert getattr(record, name) == getattr(stored, name), name
    if kind == "meeting":
        assert record.end == stored.end  # type: ignore[attr-defined]
        assert record.you_pay is stored.you_pay is True  # type: ignore[attr-defined]
    if kind == "contact":
        assert record.connected_on == date(2024, 2, 3)  # type: ignore[attr-defined]
        assert record.let_go_at.utcoffset().total_seconds() == 7200  # type: ignore[attr-defined, union-attr]
        assert record.a_newer_field == {"kept": True}


def test_a_record_written_by_an_older_infoint_gets_the_models_defaults() -> None:
    old = {"uuid": "u", "id": 1, "created_at": "2026-01-01T00:00:00Z",
           "updated_at": "2026-01-01T00:00:00Z", "handle": "bo", "name": "Bo"}  # fmt: skip
    record = plain.contact(old)
    model = models.Contact.model_validate(old)
    assert record.model_dump(mode="json") == model.model_dump(mode="json")
    assert record.model_dump() == model.model_dump()  # the values, times as datetimes
    assert record.tags == [] and record.tags is not plain.contact(old).tags
    assert record.created_at == datetime(2026, 1, 1, tzinfo=UTC)


READS = """
import sys
sys.argv = ["infoint", *sys.argv[1:]]
from infoint import entry
try:
    entry.main()
except SystemExit:
    pass
print("loaded:", *sorted(m for m in ("pydantic", "infoint.models", "rich") if m in sys.modules),
      file=sys.stderr)
"""


def _loaded(env: dict[str, str], *args: str) -> tuple[str, set[str]]:
    proc = subprocess.run(
        [sys.executable, "-c", READS, *args], env=env, capture_output=True, text=True, check=False
    )
    last = proc.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), proc.stderr
    return proc.stdout, set(last.split()[1:])


def _a_store_with_a_history(env: dict[str, str]) -> None:
    for args in (
        ["add-contact", "Ada Lovelace", "--company", "Analytical"],
        ["add-contact", "Grace Hopper"],
        ["outreach", "ada-lovelace", "--who-i-am", "A designer.", "--why-you", "Your notes.",
         "--goal", "Learn how you work."],
        ["reply", "ada-lovelace", "--agreed"],
        ["schedule", "ada-lovelace", "2026-12-20 10:00", "--phone", "--minutes", "20", "--yes"],
    ):  # fmt: skip
        proc = infoint(*args, env=env)
        assert proc.returncode == 0, proc.stderr
    assert infoint("followups", env=env).returncode == 0  # the index is built


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        (["show", "ada-lovelace"], "Ada Lovelace"),
        (["agenda", "--days", "30"], "Ada Lovelace"),
        (["agenda", "--json", "--days", "30"], '"contact": "ada-lovelace"'),
        (["stats"], "prospects"),
        (["prep", "ada-lovelace"], "Ada Lovelace"),
        (["contacts", "--json"], "grace-hopper"),
    ],
)
def test_commands_that_only_read_import_no_pydantic(
    args: list[str], shown: str, env: dict[str, str]
) -> None:
    _a_store_with_a_history(env)
    out, loaded = _loaded(env, *args)
    assert shown in out
    assert not loaded & {"pydantic", "infoint.models"}, loaded


def test_a_write_still_validates_with_the_models(env: dict[str, str]) -> None:
    _a_store_with_a_history(env)
    _, loaded = _loaded(env, "edit", "ada-lovelace", "--role", "Countess")
    assert "pydantic" in loaded


# the settings -------------------------------------------------------------------------


def test_settings_are_sealed_once_validated_and_read_without_pydantic(
    env: dict[str, str], home: Path
) -> None:
    _a_store_with_a_history(env)
    assert infoint("config", "reply_wait_days", "9", env=env).returncode == 0
    out, loaded = _loaded(env, "config", "reply_wait_days")
    assert out.strip() == "9"
    assert infoint("followups", env=env).returncode == 0  # validated here at the latest
    out, loaded = _loaded(env, "show", "ada-lovelace")
    assert "Ada Lovelace" in out and "pydantic" not in loaded


def test_a_config_edited_by_hand_is_validated_again_despite_a_seal(
    env: dict[str, str], home: Path
) -> None:
    _a_store_with_a_history(env)
    assert infoint("config", "reply_wait_days", "9", env=env).returncode == 0
    assert infoint("show", "ada-lovelace", env=env).returncode == 0
    (home / "config.toml").write_text("reply_wait_days = 0\n")  # out of range
    proc = infoint("show", "ada-lovelace", env=env)
    assert proc.returncode == 1
    assert "reply_wait_days" in proc.stderr and "Traceback" not in proc.stderr


def test_a_settings_folder_that_is_a_file_is_named_before_anything_is_written(
    tmp_path: Path,
) -> None:
    """No config.toml can be read from there: the settings are not the defaults, they
    are unknown; said by every command that needs them, as before the seal."""
    import os

    env = {k: v for k, v in os.environ.items() if k != "INFOINT_HOME"}  # the XDG folders
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "infoint").write_text("not a folder")
    for args in (("config",), ("config", "reply_wait_days"), ("add-contact", "Jane Doe")):
        out = infoint(*args, env=env)
        assert out.returncode == 1 and "Traceback" not in out.stderr, args
        assert "is a file, not a folder" in out.stderr, args
    assert not (tmp_path / "data" / "infoint" / "store.json").exists()


def test_a_settings_folder_that_cannot_be_searched_is_named() -> None:
    """A settings folder this user may not enter: said as a file that cannot be read,
    as before the seal, not as infoint failing (as root, run as nobody)."""
    import os
    import shutil
    import tempfile

    command = [sys.executable, "-m", "infoint", "show", "jane-doe"]
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:  # pragma: no cover - CI images have it
            pytest.skip("root enters any folder; setpriv runs the command as nobody")
        command = [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    base = Path(tempfile.mkdtemp(prefix="infoint-closed-"))  # outside root's own folders
    closed = base / "config" / "infoint"
    try:
        for sub in ("data", "cache", "state"):
            (base / sub).mkdir()
        closed.mkdir(parents=True)
        (closed / "config.toml").write_text("reply_wait_days = 9\n")
        for path in (base, *base.rglob("*")):
            path.chmod(0o777 if path.is_dir() else 0o666)
        closed.chmod(0)
        env = {"PATH": os.environ["PATH"], "HOME": str(base), "NO_COLOR": "1", "TZ": "UTC"}
        for kind in ("config", "data", "cache", "state"):
            env[f"XDG_{kind.upper()}_HOME"] = str(base / kind)
        proc = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    finally:
        closed.chmod(0o700)
        shutil.rmtree(base, ignore_errors=True)
    assert proc.returncode == 1
    assert "unexpectedly" not in proc.stderr and "PermissionError" not in proc.stderr
    assert f"Could not read {closed / 'config.toml'}" in proc.stderr


def test_a_seal_for_other_bytes_or_damaged_is_not_used(home: Path, env: dict[str, str]) -> None:
    _a_store_with_a_history(env)
    (home / "config.toml").write_text("reply_wait_days = 21\n")
    paths = Paths(home, home / "config.toml")
    assert settings_seal.read(paths) is None
    raw = (home / "config.toml").read_bytes()
    settings_seal.write(paths, raw, {"reply_wait_days": 21})
    assert settings_seal.read(paths) == {"reply_wait_days": 21}
    (home / "config.toml").write_text("reply_wait_days = 22\n")  # other bytes
    assert settings_seal.read(paths) is None
    settings_seal.write(paths, (home / "config.toml").read_bytes(), {"reply_wait_days": 22})
    settings_seal.where(paths).write_text("{not json")
    assert settings_seal.read(paths) is None
    settings_seal.where(paths).write_text(json.dumps({"key": "x", "values": {}}))
    assert settings_seal.read(paths) is None


def test_doctor_validates_the_settings_whatever_the_seal_says(
    home: Path, env: dict[str, str]
) -> None:
    _a_store_with_a_history(env)
    (home / "config.toml").write_text("reply_wait_days = 9\n")
    assert infoint("show", "ada-lovelace", env=env).returncode == 0  # sealed
    paths = Paths(home, home / "config.toml")
    sealed = json.loads(settings_seal.where(paths).read_text())
    (home / "config.toml").write_text("reply_wait_days = 900\n")
    # a seal that claims those bytes are fine: only doctor would be fooled by trusting it
    settings_seal.write(paths, (home / "config.toml").read_bytes(), sealed["values"])
    proc = infoint("doctor", env=env)
    assert proc.returncode == 1 and "reply_wait_days" in proc.stdout + proc.stderr


@pytest.mark.parametrize("kind", sorted(MODELS))
def test_a_record_a_write_reads_dumps_as_the_validated_model(kind: str) -> None:
    """A write reads the records it may change without validating them again
    (models.trusted): they must write back key for key, in the same order."""
    stamp = {"uuid": f"u-{kind}", "created_at": "2026-11-01T00:00:00Z",
             "updated_at": "2026-11-02T00:00:00Z"}  # fmt: skip
    written = MODELS[kind].model_validate({**stamp, **SAMPLES[kind]}).model_dump(mode="json")
    shuffled = dict(reversed(list(written.items())))
    trusted = models.trusted(MODELS[kind], shuffled)
    assert list(trusted.model_dump(mode="json").items()) == list(written.items())


def test_a_seal_made_under_other_rules_is_not_used(
    home: Path, env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A build whose settings' bounds changed (models.py) validates again, even at
    the same version number."""
    (home).mkdir(parents=True, exist_ok=True)
    (home / "config.toml").write_text("reply_wait_days = 21\n")
    paths = Paths(home, home / "config.toml")
    settings_seal.write(paths, (home / "config.toml").read_bytes(), {"reply_wait_days": 21})
    assert settings_seal.read(paths) == {"reply_wait_days": 21}
    real = Path.read_bytes

    def other_models(self: Path) -> bytes:
        data = real(self)
        return data + b"# bounds changed\n" if self.name == "models.py" else data

    monkeypatch.setattr(Path, "read_bytes", other_models)
    assert settings_seal.read(paths) is None
