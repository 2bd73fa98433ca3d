"""Long listings through a pager, the way git does it.

Only on a terminal (never when the output is piped or redirected), only when the
text is taller than the terminal, and never with `--no-pager`. The pager is
$INFOINT_PAGER, else $PAGER, else `less`; an empty value or `cat` means none.
`less` gets LESS=FRX unless the user set LESS: quit at once when it all fits,
keep colours, leave the text on the screen.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import subprocess
from collections.abc import Iterator, Mapping
from typing import TextIO

from infoint import env


@contextlib.contextmanager
def paged(refused: bool = False) -> Iterator[None]:
    """What is printed inside goes through the pager when it is taller than the
    terminal; otherwise, or when piped, straight to stdout. While it is gathered,
    the current environment's stdout is a buffer, and screens are styled as the
    terminal wants (the environment keeps the terminal's `colour`)."""
    environment = env.current()
    stdout = environment.stdout
    terminal = stdout.isatty()
    pager = command(environment.environ) if terminal and not refused else None
    if pager is None:
        yield
        return
    buffer = io.StringIO()
    gathering = environment.replace(stdout=buffer)
    try:
        with contextlib.redirect_stdout(buffer), env.using(gathering):
            yield
    except BaseException:
        stdout.write(buffer.getvalue())  # what was printed before the error still shows
        raise
    text = buffer.getvalue()
    if needed(text, environment.height, terminal, refused):
        stdout.flush()
        show(text, pager, stdout, environment.environ)
    else:
        stdout.write(text)


def command(environ: Mapping[str, str] | None = None) -> str | None:
    """The pager to run (a shell command line), or None for none."""
    environ = env.current().environ if environ is None else environ
    for variable in ("INFOINT_PAGER", "PAGER"):
        if variable in environ:
            value = environ[variable].strip()
            return None if value in ("", "cat") else value
    return "less" if shutil.which("less") else None


def needed(text: str, rows: int, terminal: bool, refused: bool) -> bool:
    """Whether `text` goes through the pager: a terminal, taller than it, not refused."""
    return terminal and not refused and text.count("\n") >= rows


def show(text: str, pager: str, fallback: TextIO, environ: Mapping[str, str] | None = None) -> None:
    """Hand `text` to `pager` (run by the shell, as git does); when it cannot start,
    print it on `fallback` instead. Quitting the pager early is not an error."""
    environ = dict(env.current().environ if environ is None else environ)
    environ.setdefault("LESS", "FRX")
    encoding = getattr(fallback, "encoding", None) or "utf-8"
    try:
        process = subprocess.Popen(pager, shell=True, stdin=subprocess.PIPE, env=environ)
    except OSError:
        fallback.write(text)
        return
    try:
        process.communicate(text.encode(encoding, "replace"))
    except BrokenPipeError:  # pragma: no cover - the user quit before the end
        process.wait()
    if process.returncode == 127:  # the shell could not find it
        fallback.write(text)
