"""One mail message, as much as a scan needs: who, to whom, when, its subject, its text."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import getaddresses, parsedate_to_datetime
from typing import Literal

#: How much of a message's text infoint keeps (enough to recognise it, and to check R1).
TEXT_LIMIT = 4000

Role = Literal["sent", "inbox", "any"]
#: The date of a message that has none (nor a usable one); `dated()` gives it a better one.
NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Mail:
    """A message: `role` says where it was found (the sent folder, the inbox, or a
    local file that holds both, where the addresses tell)."""

    message_id: str
    sender: str
    recipients: tuple[str, ...]
    at: datetime
    subject: str
    text: str
    role: Role = "any"
    labels: str = ""
    #: Why nobody wrote it by hand ("" when somebody did): an auto-reply, a list.
    automatic: str = ""


def dated(mail: Mail, received: datetime | None) -> Mail:
    """The message dated when it arrived, if it has no Date of its own."""
    if mail.at != NO_DATE or received is None:
        return mail
    return replace(mail, at=received if received.tzinfo else received.astimezone())


def parse(raw: bytes, role: Role = "any", text: bytes | None = None) -> Mail:
    """A message from its bytes: the whole message, or its header block alone with
    `text` the (start of the) text part, as IMAP hands them over."""
    parser = BytesParser(policy=policy.default)
    message = parser.parsebytes(raw)
    assert isinstance(message, EmailMessage)
    body = _first_text(message) if text is None else _decode_part(text)
    senders = _addresses(message, "from")
    fields = ("to", "cc", "bcc")  # Bcc: kept in the copy of what you sent
    return Mail(
        message_id=_message_id(message),
        sender=senders[0] if senders else "",
        recipients=tuple(dict.fromkeys(a for f in fields for a in _addresses(message, f))),
        at=_date(message),
        subject=_header(message, "subject"),
        text=body[:TEXT_LIMIT],
        role=role,
        labels=_header(message, "x-gmail-labels"),
        automatic=_automatic(message),
    )


def _automatic(message: Message) -> str:
    """Why a message was sent by a program, not written by someone ("" if it was)."""
    auto = _header(message, "auto-submitted").lower()
    replied = _header(message, "x-autoreply") or _header(message, "x-autorespond")
    if (auto and auto != "no") or replied:
        return "an automatic reply"
    if _header(message, "precedence").lower() in ("bulk", "junk", "list", "auto_reply"):
        return "sent in bulk"
    if _header(message, "list-id"):
        return "sent to a mailing list"
    return ""


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except Exception:  # a header too broken to decode is as good as none
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _addresses(message: Message, name: str) -> list[str]:
    values = []
    for raw in message.get_all(name, []) or []:
        try:
            values.append(str(raw))
        except Exception:
            continue
    return [addr.strip().lower() for _, addr in getaddresses(values) if "@" in addr]


def _date(message: Message) -> datetime:
    raw = _header(message, "date")
    try:
        moment = parsedate_to_datetime(raw)
    except (TypeError, ValueError, IndexError):
        return NO_DATE
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _message_id(message: Message) -> str:
    """Its Message-ID; one made from its headers for a message that has none, the
    same on every machine, so it is still recorded only once."""
    found = re.search(r"<[^<>\s]+>", _header(message, "message-id"))
    if found:
        return found.group(0)
    seed = "\n".join(_header(message, h) for h in ("date", "from", "to", "subject"))
    return f"<{hashlib.sha256(seed.encode()).hexdigest()[:32]}@no-message-id.infoint>"


def _first_text(message: EmailMessage) -> str:
    """The first plain-text part that is not an attachment ("" if none)."""
    try:
        part = message.get_body(preferencelist=("plain", "html"))
    except Exception:
        return ""
    return _readable(part) if part is not None else ""


def _decode_part(raw: bytes) -> str:
    """A text part given as its MIME headers and (the start of) its body."""
    return _readable(BytesParser(policy=policy.default).parsebytes(raw))


def _readable(part: Message) -> str:
    """A text part's words: an HTML one (a message with no plain text) without its tags."""
    try:
        content = str(part.get_content())  # type: ignore[attr-defined]
    except LookupError:  # a charset Python does not know (unknown-8bit, x-…): UTF-8 or Latin-1
        content = _any_charset(part)
    except Exception:  # a broken encoding: no text, still a message
        return ""
    if part.get_content_type() == "text/html":
        content = _words_of_html(content)
    return content.strip()


def _any_charset(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if not isinstance(payload, bytes):
        return ""
    try:
        return payload.decode("utf-8")
    except UnicodeDecodeError:
        return payload.decode("latin-1")


def _words_of_html(markup: str) -> str:
    from html.parser import HTMLParser

    words: list[str] = []

    class Words(HTMLParser):
        hidden = 0

        def handle_starttag(self, tag: str, attrs: object) -> None:
            self.hidden += tag in ("style", "script", "head")
            if tag in ("p", "br", "div", "li", "tr", "h1", "h2", "h3"):
                words.append("\n")

        def handle_endtag(self, tag: str) -> None:
            self.hidden -= tag in ("style", "script", "head") and self.hidden > 0

        def handle_data(self, data: str) -> None:
            if not self.hidden:
                words.append(data)

    reader = Words(convert_charrefs=True)
    reader.feed(markup)
    reader.close()
    lines = (" ".join(line.split()) for line in "".join(words).splitlines())
    return "\n".join(line for line in lines if line)
