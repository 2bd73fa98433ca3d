"""Mail on an IMAP server, through IMAPClient, read-only.

Folders are opened with EXAMINE (`select_folder(readonly=True)`) and messages read
with BODY.PEEK, so the server changes no flag. Of each message come its header
block and the start of its first plain-text part; attachments are never fetched.
Every network call has a timeout, and every failure is one line that says what to
do; none quotes the password, and TLS never falls back to plain text.
"""

from __future__ import annotations

import contextlib
import imaplib
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from infoint.errors import InfointError
from infoint.mail.message import Mail, Role, dated, parse
from infoint.models import LOOPBACK, MailSettings

#: Seconds to connect, then to wait for any one answer.
CONNECT_SECONDS = 15
READ_SECONDS = 60
#: The most of a message's text part fetched (its start is all infoint keeps).
TEXT_BYTES = 16384
#: Messages asked for at once.
BATCH = 100


class MailError(InfointError):
    """The mail server cannot be used as set up; nothing was recorded."""


def port_of(settings: MailSettings) -> int:
    return settings.port or (993 if settings.tls == "ssl" else 143)


def where(settings: MailSettings) -> str:
    return f"{settings.host}:{port_of(settings)}"


@contextmanager
def session(settings: MailSettings, password: str) -> Iterator[Any]:
    """A logged-in IMAPClient; its failures turned into one-line errors."""
    from imapclient import IMAPClient
    from imapclient.exceptions import LoginError

    check_settings(settings)
    client = None
    try:
        with _errors(settings):
            client = IMAPClient(
                settings.host,
                port=port_of(settings),
                ssl=settings.tls == "ssl",
                ssl_context=ssl.create_default_context(),
                timeout=_timeout(),
            )
            if settings.tls == "starttls":
                if not client.has_capability("STARTTLS"):
                    raise MailError(
                        f"{where(settings)} does not offer STARTTLS; your password is never "
                        "sent in plain text.",
                        hint="Use its TLS port: infoint config mail.tls ssl; "
                        "infoint config mail.port 993",
                    )
                client.starttls(ssl.create_default_context())
            try:
                if f"{settings.user}{password}".isascii():
                    client.login(settings.user, password)
                else:  # LOGIN carries ASCII only; AUTHENTICATE PLAIN carries UTF-8
                    client.plain_login(settings.user, password)
            except LoginError:
                raise MailError(
                    f"{settings.host} refused the login of {settings.user}: wrong user name "
                    "or password.",
                    hint="Gmail, iCloud, Fastmail and Outlook.com want an app password, not "
                    "your usual one; store it with: infoint mail login",
                ) from None
        with _errors(settings, during=True):
            yield client
    finally:
        if client is not None:
            with contextlib.suppress(Exception):  # the connection may be gone already
                client.logout()


def folders(client: Any) -> list[str]:
    return [str(name) for _flags, _delim, name in client.list_folders()]


def read(
    client: Any, settings: MailSettings, since: datetime, wanted: Callable[[Mail], bool]
) -> list[Mail]:
    """The messages since `since` in the sent folder and the inbox for which
    `wanted(headers)` holds; of the others nothing is fetched past the headers."""
    found: list[Mail] = []
    for name, role in ((settings.sent_folder, "sent"), (settings.inbox_folder, "inbox")):
        found.extend(_folder(client, settings, name, role, since, wanted))  # type: ignore[arg-type]
    return found


def _folder(
    client: Any,
    settings: MailSettings,
    name: str,
    role: Role,
    since: datetime,
    wanted: Callable[[Mail], bool],
) -> list[Mail]:
    if not client.folder_exists(name):
        key = "mail.sent_folder" if role == "sent" else "mail.inbox_folder"
        raise MailError(
            f"There is no folder {name!r} on {settings.host}.",
            hint=f"See its folders with: infoint mail folders; then: infoint config {key} NAME",
        )
    client.select_folder(name, readonly=True)  # EXAMINE: nothing is marked read
    uids = client.search(["SINCE", since.date()])
    found: list[Mail] = []
    for start in range(0, len(uids), BATCH):
        batch = uids[start : start + BATCH]
        heads = client.fetch(batch, ["BODY.PEEK[HEADER]", "BODYSTRUCTURE", "INTERNALDATE"])
        for uid in batch:
            item = heads.get(uid)
            if item is None:
                continue  # expunged meanwhile
            header = bytes(item[b"BODY[HEADER]"] or b"")
            if not wanted(parse(header, role, b"")):
                continue  # nobody you know: its text is not yours to read
            text = _text(client, uid, header, item.get(b"BODYSTRUCTURE"))
            arrived = _aware(item.get(b"INTERNALDATE"))
            mail = dated(parse(header, role, text), arrived)
            if mail.at >= since or (arrived is not None and arrived >= since):
                found.append(mail)  # one that came late, dated days before, counts too
    return found


def _aware(moment: Any) -> datetime | None:
    """INTERNALDATE, which IMAPClient gives in local time without a zone."""
    if not isinstance(moment, datetime):
        return None
    return moment if moment.tzinfo else moment.astimezone()


def _text(client: Any, uid: int, header: bytes, structure: Any) -> bytes:
    """The MIME headers and the start of the message's first plain-text part."""
    path = _text_path(structure) if structure is not None else ()
    if path is None and structure is not None:  # no plain text: its HTML, without tags
        path = _text_path(structure, kind="html")
    if path is None:
        return b""
    if not path:  # a message of one part: its header says how the text is encoded
        got = client.fetch([uid], [f"BODY.PEEK[TEXT]<0.{TEXT_BYTES}>"]).get(uid, {})
        return header + _value(got, b"BODY[TEXT]")
    dotted = ".".join(str(n) for n in path)
    got = client.fetch(
        [uid], [f"BODY.PEEK[{dotted}.MIME]", f"BODY.PEEK[{dotted}]<0.{TEXT_BYTES}>"]
    ).get(uid, {})
    return _value(got, f"BODY[{dotted}.MIME]".encode()) + _value(got, f"BODY[{dotted}]".encode())


def _value(item: dict[bytes, Any], key: bytes) -> bytes:
    for name, value in item.items():
        if name == key or name.startswith(key + b"<"):
            return bytes(value or b"")
    return b""


def _text_path(
    structure: Any, prefix: tuple[int, ...] = (), kind: str = "plain"
) -> tuple[int, ...] | None:
    """Where the first text part of `kind` that is not an attachment is: () for a
    message of one part, (1, 2) for part 1.2, None if there is none."""
    if getattr(structure, "is_multipart", False):
        for number, part in enumerate(structure[0], 1):
            found = _text_path(part, (*prefix, number), kind)
            if found is not None:
                return found
        return None
    if (_lower(structure[0]), _lower(structure[1])) != ("text", kind):
        return None
    disposition = structure[9] if len(structure) > 9 else None
    if isinstance(disposition, tuple) and disposition and _lower(disposition[0]) == "attachment":
        return None
    return prefix


def _lower(value: Any) -> str:
    if isinstance(value, bytes):
        return value.decode("ascii", "replace").lower()
    return str(value or "").lower()


def _timeout() -> Any:
    from imapclient import SocketTimeout

    return SocketTimeout(connect=CONNECT_SECONDS, read=READ_SECONDS)


def check_settings(settings: MailSettings) -> None:
    if not settings.host.strip() or not settings.user.strip():
        raise MailError(
            "The mail server is not set up yet.",
            hint="Answer a few questions: infoint mail setup (or read a local copy: "
            "infoint mail scan --maildir DIR)",
        )
    if settings.tls == "none" and settings.host.strip().lower() not in LOOPBACK:
        raise MailError(  # config.toml edited by hand: the settings check is bypassed
            f"mail.tls is none for {settings.host}; plain text is only for 127.0.0.1.",
            hint="infoint config mail.tls ssl",
        )


@contextmanager
def _errors(settings: MailSettings, during: bool = False) -> Iterator[None]:
    """Network and TLS failures as one line each."""
    from imapclient.exceptions import IMAPClientAbortError, IMAPClientError

    place = where(settings)
    lost = "; nothing was recorded" if during else ""
    try:
        yield
    except InfointError:
        raise
    except ssl.SSLCertVerificationError as exc:
        raise MailError(
            f"The certificate of {place} does not verify ({exc.verify_message}); "
            "infoint does not connect without it.",
            hint="Check mail.host: it must be the name the server's certificate is for.",
        ) from None
    except ssl.SSLError as exc:
        raise MailError(
            f"No TLS connection could be made with {place} ({exc.reason or exc}){lost}.",
            hint="Is the port right? 993 goes with mail.tls ssl, 143 with starttls.",
        ) from None
    except socket.gaierror:
        raise MailError(
            f"There is no mail server called {settings.host} (the name is not known).",
            hint="Check it: infoint config mail.host",
        ) from None
    except TimeoutError:
        raise MailError(
            f"{place} did not answer within {READ_SECONDS if during else CONNECT_SECONDS} "
            f"seconds{lost}.",
            hint="Try again later; check your connection.",
        ) from None
    except ConnectionRefusedError:
        raise MailError(
            f"Nothing answers at {place} (connection refused).",
            hint="Check mail.host and mail.port: infoint config",
        ) from None
    except (OSError, EOFError, IMAPClientAbortError, imaplib.IMAP4.abort) as exc:
        what = "lost" if during else "could not be made"
        raise MailError(
            f"The connection to {place} was {what} ({_reason(exc)}){lost}.",
            hint="Run it again: infoint mail scan",
        ) from None
    except (IMAPClientError, imaplib.IMAP4.error) as exc:
        raise MailError(
            f"{settings.host} refused a request ({_reason(exc)}){lost}.",
            hint="Run it again; if it keeps failing, see: infoint mail folders",
        ) from None


def _reason(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return " ".join(text.split())[:120]
