"""The mail password: printed by `mail.password_command` (as mutt, aerc and msmtp
do it), or kept in the system keyring by `infoint mail login`.

It lives in memory only. No message here quotes it, nor what the command printed
(a command that fails may print the password to say it is wrong).
"""

from __future__ import annotations

import subprocess
from typing import Any

from infoint.errors import BadInput
from infoint.models import MailSettings

#: The keyring's name for infoint's entries; each is filed under USER@HOST.
SERVICE = "infoint-mail"
#: A password command may ask for a passphrase (gpg, pass): it gets a minute.
COMMAND_SECONDS = 60


def account(settings: MailSettings) -> str:
    return f"{settings.user}@{settings.host}"


def password(settings: MailSettings) -> str:
    """The password for `settings`, from its command or the keyring."""
    if settings.password_command.strip():
        return from_command(settings.password_command)
    stored = _keyring_call("get_password", SERVICE, account(settings))
    if not stored:
        raise BadInput(
            f"There is no mail password for {settings.user} at {settings.host}.",
            hint="Store it in your system keyring with: infoint mail login; or set a "
            'command that prints it: infoint config mail.password_command "pass show mail"',
        )
    return str(stored)


def from_command(command: str) -> str:
    """Run the password command through the shell; the first line it prints."""
    try:
        done = subprocess.run(
            command,
            shell=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            timeout=COMMAND_SECONDS,
            check=False,
        )
    except subprocess.TimeoutExpired:
        raise BadInput(
            f"mail.password_command printed nothing within {COMMAND_SECONDS} seconds.",
            hint="Run it yourself to see what it waits for.",
        ) from None
    if done.returncode != 0:
        raise BadInput(
            f"mail.password_command failed (exit status {done.returncode}).",
            hint="Run it yourself to see why; it must print the password and nothing else.",
        )
    lines = done.stdout.decode("utf-8", "replace").splitlines()
    if not lines or not lines[0]:
        raise BadInput(
            "mail.password_command printed no password.",
            hint="Run it yourself: its first line must be the password.",
        )
    return lines[0]


def store(settings: MailSettings, secret: str) -> None:
    """Keep the password in the system keyring (`infoint mail login`)."""
    _keyring_call("set_password", SERVICE, account(settings), secret)


def _keyring_call(name: str, *args: str) -> Any:
    try:
        import keyring
        from keyring.errors import KeyringError
    except ImportError:  # pragma: no cover - keyring is a dependency
        raise _no_keyring("the keyring library is not installed") from None
    try:
        return getattr(keyring, name)(*args)
    except KeyringError as exc:
        raise _no_keyring(type(exc).__name__) from None
    except Exception as exc:  # a backend's own failure (D-Bus gone, a locked store)
        raise _no_keyring(type(exc).__name__) from None


def _no_keyring(why: str) -> BadInput:
    return BadInput(
        f"The system keyring cannot be used here ({why}).",
        hint="Set a command that prints the password instead: infoint config "
        'mail.password_command "pass show mail"',
    )
