import math

import pandas as pd

from helpers.crosscase import case_groups, delay_summary, leak_share


def _cases():
    return pd.DataFrame({"case_id": ["a", "b", "c"],
                         "groups": ["lockbit", "lockbit;ryuk", None]})


def _delays():
    rows = [
        ("a", "attack_to_claim", 10.0, 12.0, 11.0), ("b", "attack_to_claim", 3.0, 4.0, 3.5),
        ("c", "attack_to_claim", None, None, None), ("a", "claim_to_leak", 5.0, 6.0, 5.5),
        ("b", "attack_to_disclosure", 1.0, 1.0, 1.0), ("b", "claim_to_leak", -20.0, 9.0, -5.0),
    ]
    frame = pd.DataFrame(rows, columns=["case_id", "delay", "min_days", "max_days", "best_days"])
    frame["from_event"] = frame.delay.str.split("_to_").str[0]
    frame["to_event"] = frame.delay.str.split("_to_").str[1]
    return frame


def _events():
    # b's leak is known only by its bounds: its claim->leak delay must not count.
    rows = [("a", "attack", "day"), ("a", "claim", "day"), ("a", "leak", "day"),
            ("b", "attack", "day"), ("b", "claim", "day"), ("b", "leak", "undated"),
            ("b", "disclosure", "day")]
    return pd.DataFrame(rows, columns=["case_id", "event_type", "date_precision"])


def test_case_groups_explodes_and_marks_unattributed():
    assert case_groups(_cases()).values.tolist() == [
        ["a", "lockbit"], ["b", "lockbit"], ["b", "ryuk"], ["c", "unattributed"]]


def test_delay_summary_overall_median_and_range():
    table = delay_summary(_delays(), _cases(), _events()).set_index("delay")
    assert list(table.index) == ["attack_to_claim", "claim_to_leak"]
    claim = table.loc["attack_to_claim"]
    # Hand: best 11.0 and 3.5 -> median 7.25; range min(10, 3) = 3 to max(12, 4) = 12.
    assert (claim.n_cases, claim.median_days, claim.min_days, claim.max_days) == (2, 7.25, 3.0, 12.0)
    leak = table.loc["claim_to_leak"]
    assert (leak.n_cases, leak.median_days) == (1, 5.5)


def test_delay_summary_by_group():
    table = delay_summary(_delays(), _cases(), _events(), by_group=True).set_index(["group_id", "delay"])
    assert table.loc[("ryuk", "attack_to_claim"), "median_days"] == 3.5
    assert table.loc[("lockbit", "attack_to_claim"), "n_cases"] == 2
    assert math.isnan(table.loc[("unattributed", "attack_to_claim"), "median_days"])


def test_leak_share():
    events = pd.DataFrame({"case_id": ["a", "a", "c", None],
                           "event_type": ["attack", "leak", "leak", "leak"]})
    overall = leak_share(events, _cases())
    assert overall.loc[0, "n_with_leak"] == 2 and overall.loc[0, "share_with_leak"] == 0.667
    by_group = leak_share(events, _cases(), by_group=True).set_index("group_id")
    assert by_group.loc["lockbit", "share_with_leak"] == 0.5
    assert by_group.loc["ryuk", "n_with_leak"] == 0
