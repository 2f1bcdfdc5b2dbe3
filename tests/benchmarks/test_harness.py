"""The benchmark harness computes ratios the right way round."""

import pytest

from benchmarks import _harness
from benchmarks._harness import Comparison, Result, format_result, measure, scenario


def test_ratio_is_peer_time_over_ours():
    result = Result("x", ours_seconds=1.0, peer_seconds=3.0, target=2.0, unit="op", peer_name="p")
    assert result.ratio == 3.0
    assert result.met is True
    assert "3.00x" in format_result(result)
    assert "met" in format_result(result)


def test_missed_target_is_reported():
    result = Result("x", ours_seconds=2.0, peer_seconds=1.0, target=1.0, unit="op", peer_name="p")
    assert result.met is False
    assert "MISSED" in format_result(result)


def test_missing_peer_has_no_ratio():
    result = Result("x", ours_seconds=2.0, peer_seconds=None, target=1.0, unit="op", peer_name="p")
    assert result.ratio is None and result.met is None
    assert "not installed" in format_result(result)


def test_measure_counts_calls_on_both_sides():
    calls = {"ours": 0, "peer": 0}

    def ours():
        calls["ours"] += 1

    def peer():
        calls["peer"] += 1

    result = measure("count", Comparison(ours=ours, peer=peer), rounds=2, batch_seconds=0.001)
    assert calls["ours"] > 2 and calls["peer"] > 2
    assert result.ours_seconds > 0 and result.peer_seconds > 0


def test_duplicate_scenario_name_is_refused(monkeypatch):
    monkeypatch.setattr(_harness, "SCENARIOS", {})
    scenario("dup")(lambda: Comparison(ours=lambda: None))
    with pytest.raises(ValueError, match="registered twice"):
        scenario("dup")(lambda: Comparison(ours=lambda: None))


@pytest.mark.slow
def test_every_registered_scenario_builds_and_runs_once():
    from benchmarks.run import load_scenarios

    load_scenarios()
    for name, factory in _harness.SCENARIOS.items():
        comparison = factory()
        comparison.ours()
        if comparison.peer is not None:
            comparison.peer()
