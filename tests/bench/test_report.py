"""The README tables of `moot bench run` are rebuilt from the result files, in place."""

from __future__ import annotations

import json
from pathlib import Path

from moot.bench.load import percentile
from moot.bench.report import END, START, write_result


def result(time: str, hot_p50: float) -> dict[str, object]:
    timing = {"requests": 10, "errors": 0, "per_second": 100.0, "client_p50_ms": hot_p50 + 1,
              "client_p99_ms": 9.0, "server_p50_ms": hot_p50, "server_p99_ms": 8.0,
              "statuses": {"200": 10}}
    case = {"name": "post/list All Hot first page", "path": "/api/v3/post/list",
            "authenticated": False, "one_connection": timing, "concurrent": timing}
    return {"benchmark": "scale", "database": "sqlite", "scale": "S", "date": time[:10],
            "time": time, "note": "", "connections": 8, "seconds_per_measurement": 3,
            "startup_s": 2.0, "server_memory": {"rss_mb": 90.0, "peak_rss_mb": 95.0},
            "cases": [case], "writes": [{"name": "votes (post/like) with readers",
                                         "writers": timing, "readers": timing}]}


def test_tables_are_rebuilt_between_the_markers(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# Benchmarks\n\nBefore.\n\n{START}\nold\n{END}\n\nAfter.\n")
    write_result(result("2026-11-25T10:00:00Z", 4.25), tmp_path)
    path = write_result(result("2026-11-26T10:00:00Z", 3.5), tmp_path)
    assert json.loads(path.read_text())["cases"][0]["one_connection"]["server_p50_ms"] == 3.5
    text = readme.read_text()
    assert text.startswith("# Benchmarks\n\nBefore.") and text.endswith("After.\n")
    assert "old" not in text and text.count(START) == 1
    assert "| 2026-11-25 10:00 | sqlite | S | 4.2 / 8.0 | 100 |" in text
    assert "| 2026-11-26 10:00 | sqlite | S | 3.5 / 8.0 | 100 |" in text
    assert "| – / 90 (95) | 2.00 |" in text  # results from before the idle figure
    # One detail table, for the latest run of each database and scale.
    assert text.count("#### sqlite, scale S") == 1 and "2026-11-26T10:00:00Z" in text


def test_a_base_run_made_last_keeps_the_detail_table_on_the_current_run(tmp_path: Path
                                                                        ) -> None:
    (tmp_path / "README.md").write_text(START + "\n" + END + "\n")
    write_result(result("2026-11-27T15:28:00Z", 5.25), tmp_path)
    base = result("2026-11-27T15:32:00Z", 6.5)
    base["note"] = "base eb217c7, back to back"
    write_result(base, tmp_path)
    text = (tmp_path / "README.md").read_text()
    assert "| 2026-11-27 15:32 | sqlite | S | 6.5 / 8.0 |" in text  # its summary row
    assert "2026-11-27T15:28:00Z" in text and "2026-11-27T15:32:00Z" not in text


def test_memory_column_shows_idle_after_load_and_peak(tmp_path: Path) -> None:
    run = result("2026-11-27T10:00:00Z", 1.0)
    run["server_memory"] = {"idle_rss_mb": 104.2, "rss_mb": 150.4, "peak_rss_mb": 177.0}
    (tmp_path / "README.md").write_text(START + "\n" + END + "\n")
    write_result(run, tmp_path)
    assert "| 104 / 150 (177) | 2.00 |" in (tmp_path / "README.md").read_text()


def test_percentiles() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50.5
    assert percentile(values, 99) == 99.01
    assert percentile([], 50) is None
