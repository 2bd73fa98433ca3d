"""`infoint` as people run it: a real process, the quick `followups` included."""

from __future__ import annotations

import email
import json
import os
import subprocess
import sys
from email import policy
from pathlib import Path

import pytest
from mailboxes import ME, write_maildir


def infoint(*args: str | Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "infoint", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def env(home: Path) -> dict[str, str]:
    return {**os.environ, "INFOINT_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "120",
            "TZ": "UTC"}  # fmt: skip


def test_both_doors_of_followups_mention_the_replies_left_to_sort(
    env: dict[str, str], tmp_path: Path
) -> None:
    for name, address in (("Jane Doe", "jane@example.org"), ("Sam Lee", "sam@example.net")):
        assert infoint("add-contact", name, "--email", address, env=env).returncode == 0
    assert infoint("outreach", "jane-doe", "--who-i-am", "a", "--why-you", "b", "--goal", "c",
                   "--sent", "2026-11-09", env=env).returncode == 0  # fmt: skip
    assert infoint("config", "mail.user", ME, env=env).returncode == 0
    maildir = write_maildir(tmp_path / "Mail")
    scan = infoint("mail", "scan", "--maildir", maildir, "--since", "2026-11-01", "--yes",
                   env=env)  # fmt: skip
    assert scan.returncode == 0, scan.stderr
    assert "Recorded your outreach to Sam Lee (Tue 3 Nov 2026)." in scan.stderr
    assert "Jane" not in scan.stderr  # her outreach was typed in by hand the day before
    assert "2 replies left to sort" in scan.stderr
    line = (
        "Mail: 2 replies found in your mail wait for you to say what they said "
        "(Sam Lee, Jane Doe): infoint mail scan"
    )
    quick = infoint("followups", env=env)  # the quick path, without Typer
    full = infoint("--debug", "followups", env=env)  # the Typer app
    assert line in quick.stderr and line in full.stderr
    assert quick.stdout == full.stdout
    assert json.loads(infoint("followups", "--json", env=env).stdout) is not None


def test_a_refused_scan_is_one_line_and_no_traceback(env: dict[str, str]) -> None:
    proc = infoint("mail", "scan", env=env)
    assert proc.returncode == 1
    assert proc.stderr.splitlines()[0] == "Error: The mail server is not set up yet."
    assert "Traceback" not in proc.stderr


def test_mail_help_lists_its_commands(env: dict[str, str]) -> None:
    proc = infoint("mail", "--help", env=env)
    for name in ("scan", "folders", "login", "setup"):
        assert name in proc.stdout
    scan = infoint("mail", "scan", "--help", env=env).stdout
    for option in ("--since", "--dry-run", "--yes", "--json", "--maildir", "--mbox"):
        assert option in scan


def test_an_eml_draft_carries_a_message_id_even_unrecorded(
    env: dict[str, str], tmp_path: Path
) -> None:
    infoint("add-contact", "Jane Doe", "--email", "jane@example.org", "--why",
            "your talk", env=env)  # fmt: skip
    eml = tmp_path / "d.eml"
    proc = infoint("draft", "jane-doe", "--goal", "learn", "--no-edit", "--eml", eml, "--force",
                   env=env)  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert message["To"] == "jane@example.org"
    assert str(message["Message-ID"]).startswith("<")
    listed = json.loads(infoint("show", "jane-doe", "--json", env=env).stdout)
    assert "message_id" not in json.dumps(listed)  # nothing recorded without --record
