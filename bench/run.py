"""Benchmark infoint against the interpreter's floor and Taskwarrior, side by side.

    python bench/run.py              # 1,000 / 10,000 / 30,000 contacts, 15 rounds
    python bench/run.py --quick      # 200 contacts, 3 rounds: only checks that it runs
    python bench/run.py --sizes 10000 --rounds 25

For each size it writes a deterministic store (seeded; ~10% contacted, 3% met, 1%
mentors, two years of history), the matching Taskwarrior data (one task per
contact, in a throw-away TASKDATA), then runs every command once per round, in
turn, so that drift of the machine hits all of them alike. It prints medians,
ratios (against `python -c pass` and Taskwarrior measured in the same run) and
peak memory, and writes them to bench/results/<date>-<sizes>.json.
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
INDUSTRIES = ["Publishing", "Software", "Design", "Finance", "Health", "Education", "Media"]
COMPANIES = ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark", "Wayne", "Wonka"]


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
        if roll > 0.03:  # agreed, a meeting ahead
            slot += 1
            start = NOW + timedelta(days=1 + slot % 60, hours=slot % 8)
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
    return {"schema_version": 1, "seq": 0, "next_id": next_id,
            "contacts": contacts, "meetings": meetings, "events": events}  # fmt: skip


def write_store(home: Path, data: dict[str, Any]) -> None:
    home.mkdir(parents=True, exist_ok=True, mode=0o700)
    (home / "store.json").write_text(json.dumps(data, indent=1))


def make_taskdata(folder: Path, size: int, seed: int = 7) -> dict[str, str]:
    """One pending task per contact, in Taskwarrior 2's own file format."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rc = folder / "taskrc"
    rc.write_text(f"data.location={folder}\nconfirmation=no\nverbose=nothing\nhooks=off\n")
    now = int(NOW.timestamp())
    with open(folder / "pending.data", "w") as handle:
        for n in range(size):
            entry = now - rng.randint(0, 730 * 86400)
            due = entry + rng.randint(1, 60) * 86400
            handle.write(
                f'[description:"Follow up with Person {n} about an informational interview" '
                f'due:"{due}" entry:"{entry}" modified:"{entry}" project:"network" '
                f'status:"pending" uuid:"{uuid.UUID(int=rng.getrandbits(128))}"]\n'
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


def bench_size(size: int, rounds: int, task: str | None, work: Path) -> dict[str, Any]:
    home, empty = work / f"home-{size}", work / f"empty-{size}"
    # in a child process, so this one stays small: a child's peak memory counts the
    # parent's pages between fork and exec
    subprocess.run([sys.executable, __file__, "--write-store", str(size), str(home)], check=True)
    # a user's Python caches bytecode: measure that, whatever this shell says
    skip = ("INFOINT", "TASK", "PYTHONDONTWRITEBYTECODE")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(skip)}
    env = {**base_env, "INFOINT_HOME": str(home), "NO_COLOR": "1", "TERM": "dumb"}
    env_empty = {**env, "INFOINT_HOME": str(empty)}
    infoint = [str(BIN)]
    run_once([*infoint, "followups"], env)  # first read: validates every record, builds the index
    counter = {"add": 0, "schedule": 0}

    def add() -> list[str]:
        counter["add"] += 1
        return [*infoint, "add-contact", f"Bench Person {counter['add']}", "--company", "Acme"]

    def schedule() -> list[str]:
        counter["schedule"] += 1
        n = counter["schedule"]
        start = (NOW + timedelta(days=400 + n)).strftime("%Y-%m-%d 10:00")
        return [*infoint, "schedule", f"bench-person-{n}", start, "--phone"]

    commands: dict[str, tuple[Any, dict[str, str]]] = {
        "python -c pass": (lambda: [sys.executable, "-c", "pass"], env),
        "infoint --help": (lambda: [*infoint, "--help"], env),
        "infoint followups (empty store)": (lambda: [*infoint, "followups"], env_empty),
        "infoint followups": (lambda: [*infoint, "followups"], env),
        "infoint contacts --json": (lambda: [*infoint, "contacts", "--json"], env),
        "infoint add-contact": (add, env),
        "infoint schedule": (schedule, env),
    }
    if task:
        tw_env = {**base_env, **make_taskdata(work / f"task-{size}", size)}
        commands["task next"] = (lambda: [task, "next"], tw_env)
        commands["task add"] = (lambda: [task, "add", "Follow up with someone new"], tw_env)
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
    return {"size": size, "rounds": rounds, "median_ms": medians, "peak_rss_kib": memory}


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
        if "task next" in m:
            out[f"followups_vs_task_next@{size}"] = m["infoint followups"] / m["task next"]
            out[f"add_contact_vs_task_add@{size}"] = m["infoint add-contact"] / m["task add"]
            out[f"followups_rss_vs_task_next@{size}"] = rss["infoint followups"] / rss["task next"]
    if 10000 in by_size and 30000 in by_size:
        small, big = by_size[10000]["median_ms"], by_size[30000]["median_ms"]
        out["followups_growth_10k_to_30k"] = big["infoint followups"] / small["infoint followups"]
        out["add_contact_growth_10k_to_30k"] = (
            big["infoint add-contact"] / small["infoint add-contact"]
        )
    return out


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
        write_store(Path(args.write_store[1]), make_store(int(args.write_store[0])))
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
    print("== ratios")
    for name, value in summary.items():
        print(f"  {name:<40} {value:6.2f}")
    if not task:
        print("  (Taskwarrior not installed: no comparison)")
    report = {"when": iso(NOW), "python": sys.version.split()[0], "quick": args.quick,
              "results": results, "import": imports, "ratios": summary}  # fmt: skip
    folder = ROOT / "bench" / "results"
    folder.mkdir(exist_ok=True)
    name = "quick.json" if args.quick else f"{NOW:%Y-%m-%d}-{'-'.join(map(str, sizes))}.json"
    (folder / name).write_text(json.dumps(report, indent=2) + "\n")
    print(f"written to {folder / name}")


if __name__ == "__main__":
    main()
