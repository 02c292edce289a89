"""Whatever a hand-edited annotation contains, the loader answers with the project's error."""
from __future__ import annotations

import tempfile
from pathlib import Path

import yaml
from conftest import MINI_RAW, copy_raw
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from helpers.core.errors import DatasetError
from helpers.pipeline import build_dataset

FIELD_NAMES = st.sampled_from([
    "id", "case", "type", "event_key", "status", "quote", "paraphrase", "date_text", "date",
    "date_note", "anchor", "not_before", "not_after", "actor", "target", "agencies",
    "countries_count", "data_volume_gb", "deadline", "summary", "notes", "exceptions",
    "quote_occurrence", "date_text_verbatim", "source", "events", "dismissed", "text", "reason",
    "occurrence", "rule",
])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40),
                    st.sampled_from(["attack", "leak", "testville-2023", "testgang", "2023-03-03",
                                     "le 3 mars", "le 10 mars", "2023-13-45", "attack"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.one_of(FIELD_NAMES, st.text(max_size=8)), inner, max_size=6)),
    max_leaves=25)
EVENT = st.dictionaries(FIELD_NAMES, VALUES, max_size=12)
DOCUMENT = st.one_of(
    VALUES,
    st.fixed_dictionaries({"source": st.one_of(st.just("test-article"), SCALARS),
                           "events": st.one_of(st.lists(EVENT, max_size=4), VALUES)},
                          optional={"dismissed": VALUES}),
)


def _build_with(annotation_text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        raw = copy_raw(MINI_RAW, project)
        (raw / "annotations" / "test-article.yaml").write_text(annotation_text, encoding="utf-8")
        try:
            build_dataset(raw, project)
        except DatasetError as err:
            assert err.problems, "a DatasetError must list its problems"
            assert all(str(p) for p in err.problems)


FUZZ = settings(max_examples=120, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@FUZZ
@given(DOCUMENT)
def test_random_structures_raise_only_dataset_errors(document):
    _build_with(yaml.safe_dump(document, allow_unicode=True))


@FUZZ
@given(st.text(max_size=300))
def test_random_text_raises_only_dataset_errors(text):
    _build_with(text)
