"""The real-traffic scenarios answer the same way on every framework (so the
figures compare the same work), and the runner reports ratios both ways."""

from __future__ import annotations

import importlib.util

import pytest

from benchmarks import traffic


def _statuses(scenario: traffic.Traffic, name: str, count: int) -> list[str]:
    app = scenario.apps[name]()
    cookie_for = getattr(scenario, "cookie_for", None)
    statuses = []
    for i in range(count):
        environ = scenario.environ(i)
        if cookie_for is not None:
            environ["HTTP_COOKIE"] = cookie_for(name, app)
        seen: list[str] = []
        out = app(environ, lambda status, headers, exc_info=None: seen.append(status))
        body = b"".join(out)
        getattr(out, "close", lambda: None)()
        assert body
        statuses.append(seen[0][:3])
    return statuses


@pytest.mark.parametrize("scenario_name", [n for n in traffic.SCENARIOS if n != "send_file"])
def test_every_framework_answers_like_microflask(scenario_name: str) -> None:
    scenario = traffic.SCENARIOS[scenario_name]()
    count = 100 if scenario_name == "rest_routes" else 3
    expected = _statuses(scenario, "microflask", count)
    if scenario_name == "rest_routes":
        assert (expected.count("404"), expected.count("405")) == (9, 6)
    for name in scenario.apps:
        if name == "microflask" or (name != "raw" and importlib.util.find_spec(name) is None):
            continue
        if name == "falcon" and scenario_name == "page" and importlib.util.find_spec("jinja2") is None:
            continue
        assert _statuses(scenario, name, count) == expected, name


def test_runner_reports_wall_and_cpu_ratios() -> None:
    scenario = traffic.Traffic(
        "tiny", "a tiny app", lambda i: traffic.make_environ(f"/x/{i}"),
        {"microflask": traffic._hello_raw, "raw": traffic._hello_raw}, targets={"raw": 0.5},
    )
    figures = traffic.run_traffic(scenario, rounds=2, batch_seconds=0.001)
    assert set(figures.wall) == {"microflask", "raw"}
    assert len(figures.ratios("raw")) == 2 and len(figures.ratios("raw", "cpu")) == 2
    assert "ours/raw" in traffic.format_figures(figures)


@pytest.mark.skipif(importlib.util.find_spec("gunicorn") is None, reason="gunicorn is not installed")
@pytest.mark.parametrize("scenario_name", ["hello", "page"])
def test_gunicorn_scenario_serves_new_paths(scenario_name: str) -> None:
    from benchmarks import traffic_server

    # Not a timing check: the server answered every request with a 200
    # (the client raises otherwise) and answered some.
    assert traffic_server.measure(scenario_name, "microflask", 0.3, 2, 0) > 0


def test_running_the_file_as_a_script_measures_microflask() -> None:
    # ``python3 benchmarks/traffic.py`` (not ``-m``) once skipped microflask
    # and wsgikit as if they were missing peers, printing only the peers.
    import os
    import subprocess
    import sys

    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [sys.executable, os.path.join(root, "benchmarks", "traffic.py"), "hello",
         "--rounds", "1", "--batch", "0.001", "--only", "microflask,wsgikit,raw"],
        cwd=os.path.dirname(root), env=env, capture_output=True, text=True, timeout=120, check=True,
    ).stdout
    assert "  microflask " in out and "ours/wsgikit" in out and "ours/raw" in out


def test_icount_child_runs_the_scenario_and_parses_valgrind_output(monkeypatch: pytest.MonkeyPatch) -> None:
    from benchmarks import icount

    served: list[int] = []
    real_call = traffic.call

    def counting_call(app: object, environ: dict[str, object], stream: bool = False) -> int:
        served.append(1)
        return real_call(app, environ, stream)

    monkeypatch.setattr(traffic, "call", counting_call)
    icount._child("hello", "microflask", 7)
    # 50 warm-up requests on paths the measured ones never use, then 7.
    assert len(served) == 57

    class Done:
        returncode = 0
        stderr = "==1== \n==1== I   refs:      12,345,678\n"

    monkeypatch.setattr(icount.subprocess, "run", lambda *a, **k: Done())
    assert icount._instructions("hello", "microflask", 10) == 12_345_678
