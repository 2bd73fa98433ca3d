"""What each setting does, in one line, for `infoint config` (and its --json)."""

from __future__ import annotations

NOTES: dict[str, str] = {
    "reply_wait_days": "R2: days without a reply before infoint says move on",
    "max_nudges": "R2: follow-up messages allowed while you wait for a reply",
    "nudge_after_days": "R2: the earliest day for a nudge after your last message",
    "respond_within_hours": "R3: hours to answer a yes with a time that suits them",
    "max_meeting_minutes": "R5: the longest meeting you may ask for",
    "prep_window_hours": "R6: how long before a meeting infoint asks for your prep",
    "min_questions": "R6: questions to write before a meeting",
    "alarm_minutes": "R7: the alarm before a meeting in calendar exports",
    "thank_you_within_hours": "R9: hours after a meeting to send your thank-you",
    "keep_in_touch_days": "R10: days after the last contact to write to a mentor",
    "min_days_between_touches": "R11: the fewest days between two keep-in-touch messages",
    "keep_backups": "how many backups of the store to keep",
    "far_date_days": "days away a date may be before infoint asks if it is right",
    "draft_word_budget": "the most words a draft should have (it reads in a minute)",
    "me.name": "your name, to sign your messages",
    "me.intro": "who you are in one sentence, for every outreach",
    "me.signature": "how you sign your messages (default: your name)",
    "mail.host": "your IMAP server, for infoint mail scan (e.g. imap.gmail.com)",
    "mail.port": "its port (0: 993 with ssl, 143 with starttls)",
    "mail.user": "your login there, usually your e-mail address",
    "mail.tls": "ssl or starttls; none only for a server on 127.0.0.1",
    "mail.sent_folder": "where your sent mail is (see: infoint mail folders)",
    "mail.inbox_folder": "where replies arrive",
    "mail.password_command": "a command that prints your mail password (else the keyring)",
}


def note(key: str) -> str:
    """The one-line description of a setting ("" for one not described yet)."""
    return NOTES.get(key, "")
