"""The benchmark's inputs are what it claims: valid stores with the stated mix, real
LinkedIn and Taskwarrior files, and ratios computed the way the README reports them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from infoint import rules
from infoint.formats.common import Row
from infoint.formats.linkedin import read as read_linkedin
from infoint.models import Settings, StoreDoc


def linkedin(path: Path) -> list[Row]:
    return read_linkedin(path).rows


BENCH = Path(__file__).resolve().parents[1] / "bench" / "run.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_run", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_run"] = module
    spec.loader.exec_module(module)
    return module


def test_generated_stores_are_valid_and_realistic(bench: Any) -> None:
    data = bench.make_store(2000)
    doc = StoreDoc.model_validate(data)
    assert len(doc.contacts) == 2000
    now = bench.NOW
    hist = rules.histories(doc, now)
    statuses = [rules.contact_status(h, Settings(), now) for h in hist.values()]
    contacted = sum(1 for s in statuses if s != "prospect") / 2000
    met = sum(1 for s in statuses if s in ("met", "mentor")) / 2000
    mentors = statuses.count("mentor") / 2000
    assert 0.07 < contacted < 0.13
    assert 0.01 < met < 0.05 and 0.003 < mentors < 0.02
    assert all(e.at <= now for e in doc.events)  # nothing recorded in the future
    assert len({c.uuid for c in doc.contacts}) == 2000


def test_generated_stores_are_deterministic(bench: Any) -> None:
    assert bench.make_store(300) == bench.make_store(300)
    assert bench.make_store(300, seed=8) != bench.make_store(300)


def test_the_generated_connections_file_reads_like_linkedins(bench: Any, tmp_path: Path) -> None:
    path = tmp_path / "Connections.csv"
    bench.write_connections(path, 150)
    assert path.read_bytes().startswith(b"\xef\xbb\xbfNotes:")
    rows = linkedin(path)
    assert len(rows) == 150 and not any(r.skipped for r in rows)
    assert rows[0].company is not None and rows[0].company.endswith(", Inc.")
    assert all(r.connected_on is not None for r in rows)


def test_the_taskwarrior_data_has_one_task_per_contact(bench: Any, tmp_path: Path) -> None:
    env = bench.make_taskdata(tmp_path / "tw", 40)
    lines = (tmp_path / "tw" / "pending.data").read_text().splitlines()
    assert len(lines) == 40 and all(line.startswith("[description:") for line in lines)
    assert Path(env["TASKRC"]).read_text().startswith(f"data.location={tmp_path / 'tw'}")


def test_ratios_are_medians_side_by_side(bench: Any) -> None:
    def result(size: int, followups: float, task_next: float) -> dict[str, Any]:
        medians = {
            "python -c pass": 10.0,
            "infoint --help": 30.0,
            "infoint followups (empty store)": 50.0,
            "infoint followups": followups,
            "infoint add-contact": 60.0,
            "task next": task_next,
            "task add": 50.0,
        }
        memory = {"infoint followups": 20, "task next": 40}
        return {"size": size, "median_ms": medians, "peak_rss_kib": memory}

    ratios = bench.ratios([result(10000, 70.0, 100.0), result(30000, 91.0, 350.0)])
    assert ratios["help_vs_floor"] == 3.0 and ratios["followups_empty_vs_floor"] == 5.0
    assert ratios["followups_vs_task_next@10000"] == 0.7
    assert ratios["followups_vs_task_next@30000"] == 0.26
    assert ratios["add_contact_vs_task_add@10000"] == 1.2
    assert ratios["followups_rss_vs_task_next@30000"] == 0.5
    assert ratios["followups_growth_10k_to_30k"] == 1.3
    assert ratios["add_contact_growth_10k_to_30k"] == 1.0


def test_a_timed_run_reports_time_and_memory(bench: Any) -> None:
    import os

    elapsed, rss = bench.run_once([sys.executable, "-c", "pass"], dict(os.environ))
    assert 0 < elapsed < 30 and rss > 1000
    with pytest.raises(SystemExit, match="failed"):
        bench.run_once([sys.executable, "-c", "raise SystemExit(3)"], dict(os.environ))
