"""Benchmark infoint against the interpreter's floor and Taskwarrior, side by side.

    python bench/run.py              # 1,000 / 10,000 / 30,000 contacts, 15 rounds
    python bench/run.py --quick      # 200 contacts, 3 rounds: only checks that it runs
    python bench/run.py --sizes 10000 --rounds 25

For each size it writes a deterministic store (seeded; ~10% contacted, 3% met, 1%
mentors, two years of history, a few meetings ahead; beside it the change logs of
two other machines the folder is synced with, 100 edits each not folded in yet),
the matching Taskwarrior data
(one task per contact, in a throw-away TASKDATA), then runs every command once per
round, in turn, so that drift of the machine hits all of them alike: each infoint
command of PAIRS next to its Taskwarrior counterpart, plus `python -c pass` (the
floor), `infoint --help` and `followups` on an empty store. Commands that write act
on a fresh target each time (a new prospect per outreach) or alternate between two
values (edit, reschedule), so that none is ever refused. It prints medians, ratios
(against the floor and Taskwarrior measured in the same run, ✗ where one misses the
issue's target), peak memory, a Markdown table for the README, and writes it all to
bench/results/<date>-<sizes>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent / "infoint"
NOW = datetime.now(UTC).replace(microsecond=0)
MIDNIGHT = NOW.replace(hour=0, minute=0, second=0)
INDUSTRIES = ["Publishing", "Software", "Design", "Finance", "Health", "Education", "Media"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"]
SEARCH = "Globex"  # one contact (and one task) in eight names it
PYDANTIC = "python -c 'from pydantic import BaseModel'"


def iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")


# stores ---------------------------------------------------------------------------


def make_store(size: int, seed: int = 7) -> dict[str, Any]:
    """A store of `size` contacts with a realistic mix of histories."""
    rng = random.Random(seed + size)
    contacts: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    meetings: list[dict[str, Any]] = []
    ids = {"event": 0, "meeting": 0}

    def base(kind: str, when: datetime) -> dict[str, Any]:
        ids[kind] += 1
        return {"uuid": str(uuid.UUID(int=rng.getrandbits(128))), "id": ids[kind],
                "created_at": iso(when), "updated_at": iso(when)}  # fmt: skip

    def event(kind: str, contact: str, when: datetime, **extra: Any) -> None:
        events.append({**base("event", when), "kind": kind, "contact": contact, "at": iso(when),
                       "note": None, **extra})  # fmt: skip

    slot = 0
    for n in range(1, size + 1):
        created = NOW - timedelta(days=rng.uniform(1, 730))
        c_uuid = str(uuid.UUID(int=rng.getrandbits(128)))
        contacts.append({
            "uuid": c_uuid, "id": n, "created_at": iso(created), "updated_at": iso(created),
            "handle": f"person-{n}", "name": f"Person {n}", "email": f"person{n}@example.com",
            "phone": None, "company": rng.choice(COMPANIES), "role": "Engineer",
            "industry": rng.choice(INDUSTRIES), "location": None,
            "linkedin": f"https://www.linkedin.com/in/person-{n}", "source": "linkedin",
            "referred_by": None, "why": None, "tags": ["imported"], "prefers": None,
            "notes": None, "research": None, "questions": [], "archived": False,
        })  # fmt: skip
        roll = rng.random()
        if roll >= 0.10:
            continue  # a prospect: 90%
        sent = created + timedelta(days=rng.uniform(0, 20))
        sent = min(sent, NOW - timedelta(hours=1))
        event("outreach", c_uuid, sent, who_i_am="I am moving into design.",
              why_you="Your work on design systems.", goal="Learn which skills matter.",
              subject="Thirty minutes?", channel="email", forced=False)  # fmt: skip
        if roll >= 0.05:
            continue  # contacted, no answer yet or never
        replied = min(sent + timedelta(days=rng.uniform(1, 6)), NOW - timedelta(minutes=30))
        event("reply", c_uuid, replied, answer="declined" if roll > 0.04 else "agreed",
              referred_to=None)  # fmt: skip
        if roll > 0.04:
            continue
        if roll > 0.03:  # agreed, a meeting ahead: eight a day, an hour apart, none overlapping
            start = MIDNIGHT + timedelta(days=1 + slot // 8, hours=9 + slot % 8)
            slot += 1
            meetings.append({**base("meeting", replied), "contact": c_uuid, "start": iso(start),
                             "minutes": 30, "mode": "phone", "place": None, "venue": None,
                             "status": "planned", "held": False, "notes": None, "advice": [],
                             "keep_in_touch": False, "done_at": None, "cancelled_at": None,
                             "cancel_reason": None})  # fmt: skip
            continue
        start = min(replied + timedelta(days=rng.uniform(2, 10)), NOW - timedelta(hours=2))
        mentor = roll < 0.01
        done = min(start + timedelta(minutes=40), NOW - timedelta(minutes=20))
        meetings.append({**base("meeting", replied), "contact": c_uuid, "start": iso(start),
                         "minutes": 30, "mode": "in_person", "place": "Blue Bottle",
                         "venue": "cafe", "status": "done", "held": False, "notes": "Useful.",
                         "advice": ["Build a portfolio"], "keep_in_touch": mentor,
                         "done_at": iso(done), "cancelled_at": None,
                         "cancel_reason": None})  # fmt: skip
        event("thank", c_uuid, min(done + timedelta(hours=3), NOW - timedelta(minutes=10)))
        if mentor:
            touched = min(done + timedelta(days=rng.uniform(40, 90)), NOW - timedelta(minutes=5))
            event("touch", c_uuid, touched, forced=False)
    next_id = {"contact": size + 1, "meeting": ids["meeting"] + 1, "event": ids["event"] + 1}
    return {"schema_version": 2, "seq": 0, "next_id": next_id,
            "contacts": contacts, "meetings": meetings, "events": events}  # fmt: skip


def write_store(home: Path, data: dict[str, Any]) -> None:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    (home / "store.json").write_text(json.dumps(data, indent=1))
    write_other_machines(home, data)


#: The data folder is synced with two other machines: their change logs are there.
OTHER_MACHINES = ("0000aaa1", "0000aaa2")


def write_other_machines(home: Path, data: dict[str, Any], lines: int = 100) -> None:
    """Each other machine's change log, not folded yet: `lines` edits of contacts
    (what every command reads beside the snapshot, see logs.py)."""
    from infoint import journal

    rng = random.Random(11)
    stamp = int(NOW.timestamp() * 1_000_000) - 10**9
    for device in OTHER_MACHINES:
        out = []
        for seq in range(1, lines + 1):
            before = rng.choice(data["contacts"])
            after = {**before, "notes": f"seen on {device} ({seq})"}
            stamp += 1
            out.append(journal.encode({
                "seq": seq, "device": device, "hlc": stamp, "at": iso(NOW - timedelta(hours=1)),
                "command": "edit", "changes": [
                    {"type": "contacts", "uuid": before["uuid"], "before": before, "after": after}
                ], "next_id": data["next_id"],
            }))  # fmt: skip
            before.update(after)  # the next line of this machine goes on from here
        (home / f"journal.{device}.jsonl").write_bytes(b"".join(out))


def pick_targets(data: dict[str, Any], prospects: int = 400) -> dict[str, Any]:
    """What the timed commands act on: the contact with the longest history (show,
    edit), prospects never written to (one per outreach) and a planned meeting."""
    events: dict[str, int] = {}
    for e in data["events"]:
        events[e["contact"]] = events.get(e["contact"], 0) + 1
    for m in data["meetings"]:
        events[m["contact"]] = events.get(m["contact"], 0) + 1
    by_uuid = {c["uuid"]: c for c in data["contacts"]}
    busiest = max(events, key=lambda u: (events[u], -by_uuid[u]["id"]))
    planned = [m for m in data["meetings"] if m["status"] == "planned"]
    if not planned:
        raise SystemExit("the bench store has no planned meeting to move")
    return {
        "show": by_uuid[busiest]["handle"],
        "events": events[busiest],
        "prospects": [c["handle"] for c in data["contacts"] if c["uuid"] not in events][:prospects],
        "meeting": planned[0]["id"],
        "search": SEARCH,
    }


def make_taskdata(folder: Path, size: int, seed: int = 7) -> dict[str, str]:
    """One pending task per contact, in Taskwarrior 2's own file format: each names a
    company (so /SEARCH/ matches about one in eight, like `contacts --search`), and
    one task in ten, task 1 first, carries annotations as a history."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder}\nconfirmation=no\nverbose=nothing\nhooks=off\n")
    now = int(NOW.timestamp())
    with open(folder / "pending.data", "w") as handle:
        for n in range(size):
            entry = now - rng.randint(0, 730 * 86400)
            due = entry + rng.randint(1, 60) * 86400
            company = rng.choice(COMPANIES)
            task_uuid = uuid.UUID(int=rng.getrandbits(128))
            notes = ""
            if n % 10 == 0:
                for k in range(4 - (n // 10) % 4):
                    notes += f'annotation_{entry + 3600 * (k + 1)}:"Wrote to them, try {k}" '
            handle.write(
                f"[{notes}"
                f'description:"Follow up with Person {n} at {company} about an '
                f'informational interview" due:"{due}" entry:"{entry}" modified:"{entry}" '
                f'project:"network" status:"pending" uuid:"{task_uuid}"]\n'
            )
    return {"TASKRC": str(rc), "TASKDATA": str(folder)}


def ensure_taskwarrior(install: bool) -> str | None:
    task = shutil.which("task")
    if task or not install:
        return task
    print("Installing taskwarrior from Debian's packages…", file=sys.stderr)
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "taskwarrior"]):
        if subprocess.run(cmd, capture_output=True, check=False).returncode != 0:
            return None
    return shutil.which("task")


# timing ------------------------------------------------------------------------------


def run_once(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall time (s) and peak memory (KiB) of one run."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert proc.stderr is not None
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    errors = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}):\n{errors}")
    return elapsed, usage.ru_maxrss


#: Each timed infoint command, its Taskwarrior counterpart, and the slugs its ratios use.
PAIRS = [
    ("infoint followups", "task next", "followups", "task_next"),
    ("infoint add-contact", "task add", "add_contact", "task_add"),
    ("infoint contacts --limit 20", "task limit:20 list", "contacts_limit", "task_list_limit"),
    ("infoint contacts --search", "task list /TEXT/", "contacts_search", "task_list_search"),
    ("infoint show", "task info", "show", "task_info"),
    ("infoint edit", "task modify", "edit", "task_modify"),
    ("infoint outreach", "task annotate", "outreach", "task_annotate"),
    ("infoint reschedule", "task modify due:", "reschedule", "task_modify_due"),
    ("infoint agenda", "task next", "agenda", "task_next"),
    ("infoint stats", "task summary", "stats", "task_summary"),
]
#: The commands whose time must hardly grow with the store (10k -> 30k).
FLAT = ("show", "edit", "outreach", "reschedule", "add_contact")


def bench_size(size: int, rounds: int, task: str | None, work: Path) -> dict[str, Any]:
    home, empty = work / f"home-{size}", work / f"empty-{size}"
    # in a child process, so this one stays small: a child's peak memory counts the
    # parent's pages between fork and exec
    made = subprocess.run(
        [sys.executable, __file__, "--write-store", str(size), str(home)],
        check=True,
        capture_output=True,
        text=True,
    )
    targets = json.loads(made.stdout)
    # a user's Python caches bytecode: measure that, whatever this shell says
    skip = ("INFOINT", "TASK", "PYTHONDONTWRITEBYTECODE", "XDG_CACHE_HOME")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    # the machine-local index lives in the user's cache folder: one of our own
    env = {**base_env, "INFOINT_HOME": str(home), "NO_COLOR": "1", "TERM": "dumb",
           "XDG_CACHE_HOME": str(work / f"cache-{size}")}  # fmt: skip
    env_empty = {**env, "INFOINT_HOME": str(empty)}
    infoint = [str(BIN)]
    run_once([*infoint, "followups"], env)  # first read: validates every record, builds the index
    calls: dict[str, int] = {}

    def call(name: str) -> int:
        """How many times `name` ran before (warm-up included)."""
        calls[name] = calls.get(name, 0) + 1
        return calls[name] - 1

    # two far-away days to move a meeting between: no other meeting is near them
    days = [NOW + timedelta(days=300), NOW + timedelta(days=301)]
    when = [f"{day:%Y-%m-%d} 10:00" for day in days]
    due = [f"{day:%Y-%m-%d}" for day in days]
    roles = ["Staff Engineer", "Engineer"]

    def add() -> list[str]:
        n = call("add") + 1
        return [*infoint, "add-contact", f"Bench Person {n}", "--company", "Acme"]

    def outreach() -> list[str]:
        n = call("outreach")
        if n >= len(targets["prospects"]):
            raise SystemExit(f"only {len(targets['prospects'])} prospects to write to")
        return [*infoint, "outreach", targets["prospects"][n], "--who-i-am",
                "I am moving into design.", "--why-you", "Your work on design systems.",
                "--goal", "Learn which skills matter.", "--force"]  # fmt: skip

    commands: dict[str, tuple[Any, dict[str, str]]] = {
        "python -c pass": (lambda: [sys.executable, "-c", "pass"], env),
        # what every write costs at least: pydantic is the gate of what is written
        PYDANTIC: (lambda: [sys.executable, "-c", "from pydantic import BaseModel"], env),
        "infoint --help": (lambda: [*infoint, "--help"], env),
        "infoint followups (empty store)": (lambda: [*infoint, "followups"], env_empty),
        "infoint followups": (lambda: [*infoint, "followups"], env),
        "infoint add-contact": (add, env),
        "infoint contacts --limit 20": (lambda: [*infoint, "contacts", "--limit", "20"], env),
        "infoint contacts --search": (
            lambda: [*infoint, "contacts", "--search", targets["search"]],
            env,
        ),
        "infoint show": (lambda: [*infoint, "show", targets["show"]], env),
        "infoint edit": (
            lambda: [*infoint, "edit", targets["show"], "--role", roles[call("edit") % 2]],
            env,
        ),
        "infoint outreach": (outreach, env),
        "infoint reschedule": (
            lambda: [*infoint, "reschedule", str(targets["meeting"]), when[call("move") % 2]],
            env,
        ),
        "infoint agenda": (lambda: [*infoint, "agenda"], env),
        "infoint stats": (lambda: [*infoint, "stats"], env),
    }
    if task:
        tw_env = {**base_env, **make_taskdata(work / f"task-{size}", size)}
        # task 1 has annotations (a history); task 2 is moved; 3..10, 12..20, ... are fresh
        fresh = [n for n in range(3, size + 1) if n % 10 != 1]
        projects = ["network.design", "network"]

        def annotate() -> list[str]:
            n = fresh[call("annotate")]
            return [task, str(n), "annotate", "Wrote to them about an informational interview"]

        commands |= {
            "task next": (lambda: [task, "next"], tw_env),
            "task add": (
                lambda: [task, "add", f"Follow up with Bench Person {call('task add') + 1}"],
                tw_env,
            ),
            "task limit:20 list": (lambda: [task, "limit:20", "list"], tw_env),
            "task list /TEXT/": (lambda: [task, "list", f"/{targets['search']}/"], tw_env),
            "task info": (lambda: [task, "1", "info"], tw_env),
            "task modify": (
                lambda: [task, "1", "modify", f"project:{projects[call('modify') % 2]}"],
                tw_env,
            ),
            "task annotate": (annotate, tw_env),
            "task modify due:": (
                lambda: [task, "2", "modify", f"due:{due[call('due') % 2]}"],
                tw_env,
            ),
            "task summary": (lambda: [task, "summary"], tw_env),
        }
    times: dict[str, list[float]] = {name: [] for name in commands}
    memory: dict[str, int] = dict.fromkeys(commands, 0)
    for make, cmd_env in commands.values():  # one warm-up each
        run_once(make(), cmd_env)
    for _ in range(rounds):
        for name, (make, cmd_env) in commands.items():
            elapsed, rss = run_once(make(), cmd_env)
            times[name].append(elapsed)
            memory[name] = max(memory[name], rss)
    medians = {name: statistics.median(values) * 1000 for name, values in times.items()}
    return {"size": size, "rounds": rounds, "targets": {k: v for k, v in targets.items()
            if k != "prospects"}, "median_ms": medians, "peak_rss_kib": memory}  # fmt: skip


def write_connections(path: Path, size: int, seed: int = 7) -> None:
    """A LinkedIn Connections.csv of `size` rows, with LinkedIn's preamble and quirks."""
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        handle.write('Notes:\n"When exporting your connection data, ..."\n\n')
        handle.write("First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        for n in range(size):
            email = f"person{n}@example.com" if rng.random() < 0.2 else ""
            company = rng.choice(COMPANIES)
            day = (NOW - timedelta(days=rng.randint(0, 2000))).strftime("%d %b %Y")
            handle.write(
                f"First{n},Last{n},https://www.linkedin.com/in/person-{n}/,{email},"
                f'"{company}, Inc.",Engineer,{day}\n'
            )


def bench_import(size: int, rounds: int, work: Path) -> dict[str, Any]:
    """`infoint import linkedin` of a `size`-row file into an empty store."""
    source = work / f"Connections-{size}.csv"
    write_connections(source, size)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("INFOINT", "PYTHONDONTWRITE"))}
    times, memory = [], 0
    for n in range(rounds):
        home = work / f"import-{size}-{n}"
        elapsed, rss = run_once(
            [str(BIN), "import", "linkedin", str(source)], {**env, "INFOINT_HOME": str(home)}
        )
        times.append(elapsed)
        memory = max(memory, rss)
        shutil.rmtree(home, ignore_errors=True)
    return {"rows": size, "median_ms": statistics.median(times) * 1000, "peak_rss_kib": memory}


def ratios(results: list[dict[str, Any]]) -> dict[str, Any]:
    """The issue's targets, as ratios measured in the same run."""
    out: dict[str, Any] = {}
    by_size = {r["size"]: r for r in results}
    first = results[0]["median_ms"]
    floor = first["python -c pass"]
    out["help_vs_floor"] = first["infoint --help"] / floor
    out["followups_empty_vs_floor"] = first["infoint followups (empty store)"] / floor
    for size, r in by_size.items():
        m, rss = r["median_ms"], r["peak_rss_kib"]
        for ours, theirs, slug, task_slug in PAIRS:
            if ours in m and theirs in m:
                out[f"{slug}_vs_{task_slug}@{size}"] = m[ours] / m[theirs]
            if ours in rss and theirs in rss:
                out[f"{slug}_rss_vs_{task_slug}@{size}"] = rss[ours] / rss[theirs]
    if 10000 in by_size and 30000 in by_size:
        small, big = by_size[10000]["median_ms"], by_size[30000]["median_ms"]
        for ours, _, slug, _ in PAIRS:
            if ours in small and ours in big:
                out[f"{slug}_growth_10k_to_30k"] = big[ours] / small[ours]
    return out


def target(name: str) -> float | None:
    """The issue's bound on a ratio, or None when it sets none."""
    if name == "help_vs_floor":
        return 4.0
    if name == "followups_empty_vs_floor":
        return 6.0
    if name.endswith("_growth_10k_to_30k"):
        return 1.3 if name.removesuffix("_growth_10k_to_30k") in FLAT else None
    size = name.rpartition("@")[2]
    if "_rss_vs_" in name:
        return 1.0 if size == "30000" else None
    return {"30000": 1.0, "10000": 1.5}.get(size)


def misses(summary: dict[str, Any]) -> list[str]:
    """The ratios above their target."""
    return [
        name
        for name, value in summary.items()
        if isinstance(value, float) and (bound := target(name)) is not None and value > bound
    ]


def _mark(name: str, value: float) -> str:
    bound = target(name)
    return f"{value:.2f} ✗" if bound is not None and value > bound else f"{value:.2f}"


def markdown(results: list[dict[str, Any]], summary: dict[str, Any]) -> str:
    """Medians side by side, one column group per size, for the README; ✗ marks a
    ratio that misses its target (≤ 1.5 at 10,000 contacts, ≤ 1.0 at 30,000)."""
    sizes = [r["size"] for r in results]
    head = ["infoint command", "Taskwarrior"]
    for size in sizes:
        head += [f"{size:,}: infoint ms", "task ms", "ratio"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * 2 + "--:|" * 3 * len(sizes)]
    for ours, theirs, slug, task_slug in PAIRS:
        row = [f"`{ours}`", f"`{theirs}`"]
        for r in results:
            m = r["median_ms"]
            key = f"{slug}_vs_{task_slug}@{r['size']}"
            row += [
                f"{m[ours]:.0f}" if ours in m else "–",
                f"{m[theirs]:.0f}" if theirs in m else "–",
                _mark(key, summary[key]) if key in summary else "–",
            ]
        lines.append("| " + " | ".join(row) + " |")
    biggest = results[-1]
    rss = biggest["peak_rss_kib"]
    lines += ["", f"Floor and start-up ({results[0]['size']:,} contacts):", ""]
    lines += ["| command | ms | ratio to `python -c pass` |", "|---|--:|--:|"]
    first = results[0]["median_ms"]
    lines.append(f"| `python -c pass` | {first['python -c pass']:.0f} | 1.00 |")
    for name, key in (
        ("infoint --help", "help_vs_floor"),
        ("infoint followups (empty store)", "followups_empty_vs_floor"),
    ):
        lines.append(f"| `{name}` | {first[name]:.0f} | {_mark(key, summary[key])} |")
    for r in results:
        m = r["median_ms"]
        if PYDANTIC in m and "task add" in m and "task modify" in m:
            lines += ["", f"At {r['size']:,} contacts importing pydantic alone (`{PYDANTIC}`), "
                      f"which every write does, takes {m[PYDANTIC]:.0f} ms: "
                      f"{m[PYDANTIC] / m['task add']:.2f}× `task add`, "
                      f"{m[PYDANTIC] / m['task modify']:.2f}× `task modify`."]  # fmt: skip
    lines += ["", f"Peak memory at {biggest['size']:,} contacts:", ""]
    lines += ["| infoint command | MiB | Taskwarrior | MiB | ratio |", "|---|--:|---|--:|--:|"]
    for ours, theirs, slug, task_slug in PAIRS:
        if ours in rss and theirs in rss:
            key = f"{slug}_rss_vs_{task_slug}@{biggest['size']}"
            lines.append(
                f"| `{ours}` | {rss[ours] / 1024:.0f} | `{theirs}` | {rss[theirs] / 1024:.0f} "
                f"| {_mark(key, summary[key])} |"
            )
    growth = [(slug, summary[f"{slug}_growth_10k_to_30k"]) for _, _, slug, _ in PAIRS
              if f"{slug}_growth_10k_to_30k" in summary]  # fmt: skip
    if growth:
        lines += ["", "Growth from 10,000 to 30,000 contacts (time at 30k / time at 10k):", ""]
        lines += ["| command | growth |", "|---|--:|"]
        for slug, value in growth:
            name = next(ours for ours, _, s, _ in PAIRS if s == slug)
            lines.append(f"| `{name}` | {_mark(f'{slug}_growth_10k_to_30k', value)} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="tiny sizes, few rounds (for CI)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 30000])
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument("--no-install", action="store_true", help="never install taskwarrior")
    parser.add_argument("--write-store", nargs=2, metavar=("SIZE", "HOME"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.write_store:
        data = make_store(int(args.write_store[0]))
        write_store(Path(args.write_store[1]), data)
        print(json.dumps(pick_targets(data)))
        return
    sizes, rounds = ([200], 3) if args.quick else (args.sizes, args.rounds)
    task = ensure_taskwarrior(install=not (args.quick or args.no_install))
    results = []
    with tempfile.TemporaryDirectory(prefix="infoint-bench-") as tmp:
        for size in sizes:
            print(f"== {size:,} contacts", file=sys.stderr)
            result = bench_size(size, rounds, task, Path(tmp))
            results.append(result)
            for name, ms in result["median_ms"].items():
                rss = result["peak_rss_kib"][name] / 1024
                print(f"  {name:<34} {ms:8.1f} ms   {rss:7.1f} MiB")
    imports = None
    with tempfile.TemporaryDirectory(prefix="infoint-import-") as tmp:
        rows = 200 if args.quick else 30000
        imports = bench_import(rows, 1 if args.quick else 3, Path(tmp))
        print(
            f"== import linkedin, {rows:,} rows into an empty store: "
            f"{imports['median_ms'] / 1000:.2f} s, {imports['peak_rss_kib'] / 1024:.0f} MiB"
        )
    summary = ratios(results)
    summary["import_linkedin_seconds"] = imports["median_ms"] / 1000
    print("== ratios (✗: misses its target)")
    for name, value in summary.items():
        bound = target(name)
        aim = f"≤ {bound:g}" if bound is not None else ""
        print(f"  {name:<44} {_mark(name, value):>8}  {aim}")
    if not task:
        print("  (Taskwarrior not installed: no comparison)")
    missed = misses(summary)
    print(
        f"== {len(missed)} ratio(s) miss their target"
        + (": " + ", ".join(missed) if missed else "")
    )
    print("== results (Markdown, for the README)\n")
    print(markdown(results, summary))
    print()
    report = {"when": iso(NOW), "python": sys.version.split()[0], "quick": args.quick,
              "results": results, "import": imports, "ratios": summary,
              "misses": missed}  # fmt: skip
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    name = "quick.json" if args.quick else f"{NOW:%Y-%m-%d}-{'-'.join(map(str, sizes))}.json"
    (folder / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {folder / name}")


if __name__ == "__main__":
    main()
