"""Your mailbox keeps the log: `infoint mail scan` reads sent mail and replies.

The contract of this package:

- The mailbox is read, never changed: IMAP folders are opened with EXAMINE and
  read with BODY.PEEK, so no flag (\\Seen included) is ever set; a local Maildir or
  mbox is opened through the standard `mailbox` module and only read.
- Of each message only its headers and the start of its first text part are
  fetched: a 20 MB attachment stays on the server.
- Each message is recorded at most once, ever: its Message-ID goes into the record
  it became (`message_id`), so a second scan, on this machine or another, knows it.
- The password comes from `mail.password_command` or the system keyring and lives
  only in memory: never in a file, a log, the history or an error message.

Modules: `message` (a message's parts), `local` and `imap` (where messages come
from), `secret` (the password), `sort` (which record a message becomes: pure),
`state` (the last scan and the replies left to sort), `scan` (the service).
"""
