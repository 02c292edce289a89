"""Coverage: every date expression of a stored text annotated or dismissed."""
from __future__ import annotations

import os

from helpers.build.evidence import _locate
from helpers.build.model import ResolvedEvent
from helpers.build.roots import Roots
from helpers.core.errors import Consequence, Problem
from helpers.raw.annotations import AnnotationFile
from helpers.raw.load import Raw
from helpers.raw.sources import Source
from helpers.resolution import dates

Spans = dict[str, list[tuple[int, int]]]  # by source id


def _check_coverage(raw: Raw, events: list[ResolvedEvent], skip: dict[str, Problem],
                    found_spans: Spans, roots: Roots
                    ) -> tuple[list[dict], list[Problem], list[Problem], Spans]:
    """Every date expression in a stored text (`found_spans`, from the scan) is annotated or
    dismissed: the dismissals, the problems of the dismissals, and the expressions left
    unaccounted for (as problems, and as spans by source)."""
    problems, dismissed_rows = [], []
    # The annotated spans of each source, gathered once (not once per file).
    checked: list[tuple[AnnotationFile, Source, list]] = []
    spans_by_source: dict[str, list[tuple[int, int]]] = {}
    for e in events:
        spans_by_source.setdefault(e.source.source_id, []).extend(
            span for span in (e.date_text_span, e.deadline_text_span) if span)
    for file in raw.files:
        source = raw.sources.get(file.source_id)
        if source is None or not source.has_text:
            if source is not None and file.dismissed:
                problems.append(Problem(file.file, file.dismissed[0].line, field="dismissed",
                                        message="a citation-only source has no text to dismiss from"))
            continue
        covered = list(spans_by_source.get(source.source_id, ()))
        for item in file.dismissed:
            span, trouble = _locate(item.text, source.text, item.occurrence)
            if span is None and trouble.startswith("found"):
                span = None
                trouble += "; set 'occurrence'"
            if span is None:
                problems.append(Problem(file.file, item.line, field="dismissed.text",
                                        message=f"{item.text!r} {trouble} in the text"))
                continue
            covered.append(span)
            dismissed_rows.append({"source_id": source.source_id, "text": source.text[span[0]:span[1]],
                                   "text_start": span[0], "text_end": span[1], "reason": item.reason})
        if source.source_id in skip:
            roots.notes.append(Consequence(
                skip[source.source_id], f"the coverage of {source.meta.get('text_file')} (every "
                "date expression annotated or dismissed) is checked once its events pass",
                (file.file,)))
            continue
        checked.append((file, source, covered))
    unaccounted, unaccounted_spans = [], {}
    for file, source, covered in checked:
        for start, end in found_spans.get(source.source_id, []):
            if not any(a < end and start < b for a, b in covered):
                unaccounted_spans.setdefault(source.source_id, []).append((start, end))
                unaccounted.append(Problem(
                    file.file, 0, field="dismissed",
                    message=f"date expression {source.text[start:end]!r} at offset {start} is "
                    "neither annotated nor dismissed",
                    hint="annotate the event it dates, or dismiss it with a reason"))
    return dismissed_rows, problems, unaccounted, unaccounted_spans


PARALLEL_SCAN_TEXTS = 200  # below this, starting worker processes costs more than it saves


def _spans_of(item: tuple[str, str]) -> list[tuple[int, int]]:
    return dates.find_expression_spans(item[0], language=item[1])


class ExpressionScan:
    """The date expressions of every stored text, found while the rest of the build runs:
    with many texts, in worker processes started at once (the scan is pure, so the result is
    the same); with few, in this process when asked."""

    def __init__(self, raw: Raw):
        self._texts = {s.source_id: (s.text, str(s.meta.get("language") or "fr"))
                       for s in raw.sources.values() if s.has_text and s.text is not None}
        self._pool, self._futures = None, {}
        workers = min(os.cpu_count() or 1, 8)
        if len(self._texts) >= PARALLEL_SCAN_TEXTS and workers > 1:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(workers,
                                             mp_context=multiprocessing.get_context("fork"))
            ids = sorted(self._texts)
            size = max(1, len(ids) // (workers * 4))
            for k in range(0, len(ids), size):
                chunk = ids[k:k + size]
                self._futures[tuple(chunk)] = self._pool.submit(
                    _spans_of_many, [self._texts[i] for i in chunk])

    def spans(self) -> dict[str, list[tuple[int, int]]]:
        """Every text's spans, by source id (waits for the workers)."""
        if self._pool is None:
            return {i: _spans_of(item) for i, item in self._texts.items()}
        try:
            found = {}
            for chunk, future in self._futures.items():
                found.update(zip(chunk, future.result()))
            return found
        finally:
            self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _spans_of_many(items: list[tuple[str, str]]) -> list[list[tuple[int, int]]]:
    return [_spans_of(item) for item in items]
