"""Known mail services for `infoint mail setup`: their server, their sent folder, and
what each asks of you before a program may read your mail."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Provider:
    name: str
    host: str
    port: int
    sent_folder: str
    needs: str


PROVIDERS: dict[str, Provider] = {
    "gmail": Provider(
        "Gmail",
        "imap.gmail.com",
        993,
        "[Gmail]/Sent Mail",
        "an app password: turn on 2-Step Verification, then make one at "
        "myaccount.google.com/apppasswords (your usual password will be refused)",
    ),
    "fastmail": Provider(
        "Fastmail",
        "imap.fastmail.com",
        993,
        "Sent",
        "an app password with IMAP access: Settings > Privacy & Security > Manage app passwords",
    ),
    "icloud": Provider(
        "iCloud",
        "imap.mail.me.com",
        993,
        "Sent Messages",
        "an app-specific password: account.apple.com > Sign-In and Security > "
        "App-Specific Passwords (two-factor authentication must be on)",
    ),
    "outlook": Provider(
        "Outlook.com",
        "outlook.office365.com",
        993,
        "Sent",
        "an app password: account.microsoft.com > Security > Advanced security options "
        "> App passwords (two-step verification on). If Microsoft refuses it, your "
        "account wants OAuth2, which infoint does not do: read an export instead "
        "(infoint mail scan --mbox FILE)",
    ),
}
