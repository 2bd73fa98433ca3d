"""TLS with a real server: STARTTLS to a certificate that verifies works, one that
does not verify is refused in one line, and nothing ever falls back to plain text."""

from __future__ import annotations

import datetime as dt
import ipaddress
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from mailboxes import EXPECTED, Server, contacts, start_server, use_server

from conftest import Clock, Runner
from infoint.services import Tracker


def certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1, and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "infoint test server")])
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=3))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[tuple[Server, Path]]:
    cert, key = certificate(tmp_path / "tls")
    server = start_server(tmp_path / "imap", tls=(cert, key))
    yield server, cert
    server.stop()


@pytest.fixture
def run(clock: Clock, home: Path) -> Runner:
    return Runner(clock, home)


def test_starttls_to_a_certificate_that_verifies_reads_the_mail(
    tls_server: tuple[Server, Path], tracker: Tracker, run: Runner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    server, cert = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # this machine trusts the test's own CA
    contacts(tracker)
    use_server(tracker, server.port)
    tracker.config_set("mail.tls", "starttls")
    out = run("mail", "scan", "--dry-run", "--json")
    found = [(p["contact"], p["kind"], p["missing"]) for p in json.loads(out.stdout)["proposals"]]
    assert found == EXPECTED


def test_a_certificate_that_does_not_verify_is_one_line_and_no_plain_text(
    tls_server: tuple[Server, Path], tracker: Tracker, run: Runner
) -> None:
    server, _ = tls_server
    contacts(tracker)
    use_server(tracker, server.port)
    tracker.config_set("mail.tls", "starttls")
    before = run.store_bytes()
    out = run("mail", "scan", "--yes", code=1)
    lines = out.stderr.strip().splitlines()
    assert lines[0].startswith(f"Error: The certificate of 127.0.0.1:{server.port} does not verify")
    assert "infoint does not connect without it" in lines[0]
    assert lines[1].startswith("Hint: Check mail.host")
    assert run.store_bytes() == before


def test_plain_text_to_a_server_that_offers_tls_is_still_only_for_this_machine(
    tracker: Tracker, run: Runner
) -> None:
    """config.toml edited by hand to tls none for a distant server: refused before any
    connection is made."""
    config = tracker.paths.config_file
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text('[mail]\nhost = "127.0.0.1"\nuser = "me"\ntls = "none"\n')
    out = run("config", "mail.tls")
    assert out.stdout.strip() == "none"
    config.write_text('[mail]\nhost = "imap.example.org"\nuser = "me"\ntls = "none"\n')
    out = run.refused("mail", "scan", "--yes")
    assert "bad value: mail: Value error, tls none is only for a server on this machine" in (
        out.stderr
    )
