import math

import pandas as pd

from helpers.derive.crosscase import attributions, delay_summary, leak_share


def _cases():
    return pd.DataFrame({"case_id": ["a", "b", "c"]})


def _groups():
    return pd.DataFrame({"case_id": ["a", "b", "b"], "group_id": ["lockbit", "lockbit", "ryuk"]})


def _delays():
    # As delays.csv has them: c's claim is not dated, so its delay is empty (not counted).
    rows = [
        ("a", "attack_to_claim", 10, 12, 11), ("b", "attack_to_claim", 3, 4, 4),
        ("c", "attack_to_claim", None, None, None), ("a", "claim_to_leak", 5, 6, 5),
        ("b", "attack_to_disclosure", 1, 1, 1), ("b", "intrusion_to_attack", 9, 9, 9),
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "delay", "min_days", "max_days", "best_days"])
    return frame.astype({c: "Int64" for c in ("min_days", "max_days", "best_days")})


def test_attributions_mark_unattributed_cases():
    assert attributions(_cases(), _groups()).values.tolist() == [
        ["a", "lockbit"], ["b", "lockbit"], ["b", "ryuk"], ["c", "unattributed"]]


def test_delay_summary_overall_median_and_range():
    table = delay_summary(_delays(), _cases(), _groups()).set_index("delay")
    # Summary delays only, in their order; intrusion_to_attack is not one of them.
    assert list(table.index) == ["attack_to_disclosure", "attack_to_claim", "claim_to_leak"]
    claim = table.loc["attack_to_claim"]
    # Hand: best 11 and 4 -> median 7.5; range min(10, 3) = 3 to max(12, 4) = 12.
    assert (claim.n_cases, claim.median_days, claim.min_days, claim.max_days) == (2, 7.5, 3, 12)
    leak = table.loc["claim_to_leak"]
    assert (leak.n_cases, leak.median_days) == (1, 5)


def test_delay_summary_by_group():
    table = delay_summary(_delays(), _cases(), _groups(), by_group=True).set_index(["group_id", "delay"])
    assert table.loc[("ryuk", "attack_to_claim"), "median_days"] == 4
    assert table.loc[("lockbit", "attack_to_claim"), "n_cases"] == 2
    assert table.loc[("unattributed", "attack_to_claim"), "n_cases"] == 0
    assert math.isnan(table.loc[("unattributed", "attack_to_claim"), "median_days"])


def test_leak_share_counts_reported_leaks_dated_or_not():
    stages = pd.DataFrame({"case_id": ["a", "b", "c"], "stage": ["leak"] * 3,
                           "is_reported": [True, False, True]})
    overall = leak_share(stages, _cases(), _groups())
    assert overall.loc[0, "n_with_leak"] == 2 and overall.loc[0, "share_with_leak"] == 0.667
    by_group = leak_share(stages, _cases(), _groups(), by_group=True).set_index("group_id")
    assert by_group.loc["lockbit", "share_with_leak"] == 0.5
    assert by_group.loc["ryuk", "n_with_leak"] == 0
