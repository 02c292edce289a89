"""What every notebook does first: set up the display, load the data, check its parameters.

A notebook's cell tagged ``parameters`` holds the defaults (papermill injects others after
it); the first code cell after it calls :func:`setup` and the checks below, so that a wrong
parameter fails at once, with the list of valid values, before anything is drawn::

    data = notebook_params.setup()
    case_id = notebook_params.check_case(case_id, data)

Errors are :class:`UnknownIdError` (a subclass of :class:`helpers.core.errors.UnknownIdError`)
that IPython shows as one line, without a traceback through the helpers: the message is
the whole story ("unknown case id 'x'; valid case ids: cannes-2024, les-bluets-2022").
"""
from __future__ import annotations

import html
import sys
from collections.abc import Iterable

import pandas as pd

from helpers.core import errors
from helpers.core.frames import Dataset, load_dataset

# JupyterLab draws figures from plotly's own mimetype (the jupyterlab-plotly extension ships
# with plotly); the HTML reports get a div that expects plotly.js on the page, which
# helpers.publish.offline puts there once. Neither carries plotly.js (some 5 MB) in the notebook.
PLOTLY_RENDERER = "plotly_mimetype+hrt_page"

# Plotly's renderers import nbformat, which imports jsonschema, which imports the optional
# rfc3987_syntax when installed (jupyter-events asks for jsonschema[format-nongpl]); that
# module compiles a grammar when imported, 2.5 s or more in every kernel that draws a figure.
# No notebook validates IRIs: keep it out (jsonschema then skips the "iri" formats).
sys.modules.setdefault("rfc3987_syntax", None)


class UnknownIdError(errors.UnknownIdError):
    """An unknown id among a notebook's parameters; shown by IPython as its message only."""

    def _render_traceback_(self) -> list[str]:  # IPython's hook for custom tracebacks
        return [f"UnknownIdError: {self}"]


def _unknown(kind: str, value: object, valid: list[str]) -> UnknownIdError:
    return UnknownIdError(kind, value, valid)


def setup(load: bool = True, processed_dir=None) -> Dataset | None:
    """Set the display up for notebooks and reports, and return the dataset (if `load`).

    Plotly's ``notebook`` renderer embeds plotly.js once per notebook (offline) and writes
    figures as HTML that nbconvert keeps; the default renderer under papermill would leave
    them out of the HTML reports.
    """
    use_notebook_renderer()
    pd.set_option("display.max_colwidth", 200)
    pd.set_option("display.max_rows", 200)
    if not load:
        return None
    return load_dataset(processed_dir) if processed_dir is not None else load_dataset()


def use_notebook_renderer() -> None:
    """Make plotly draw figures for JupyterLab and for the HTML reports (PLOTLY_RENDERER)."""
    import plotly.io as pio
    from plotly.io._base_renderers import HtmlRenderer

    if "hrt_page" not in pio.renderers:
        # A figure's div and script, without plotly.js: helpers.publish.offline adds it to the page.
        pio.renderers["hrt_page"] = HtmlRenderer(connected=False, full_html=False,
                                                 global_init=False, include_plotlyjs=False)
    pio.renderers.default = PLOTLY_RENDERER


class HTML:
    """HTML that IPython shows as such (and nbconvert keeps): build it with :func:`heading`."""

    def __init__(self, html_text: str):
        self.html = html_text

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def heading(text: object, level: int = 2, subtitle: object = None) -> HTML:
    """A heading made of data (escaped: never Markdown, which would let HTML through)."""
    out = f"<h{level}>{html.escape(str(text))}</h{level}>"
    if subtitle:
        out += f"<p><i>{html.escape(str(subtitle))}</i></p>"
    return HTML(out)


def note(text: object, kind: str = "info") -> HTML:
    """A one-paragraph message (escaped), coloured by kind: info, ok or warning."""
    colors = {"info": "#1a4f8a", "ok": "#1b6e2a", "warning": "#a00000"}
    color = colors.get(kind, colors["info"])
    return HTML(f'<p style="color:{color};font-weight:bold">{html.escape(str(text))}</p>')


def check_source(source_id: object, data: Dataset | None = None) -> str:
    """The source id if the dataset has it; else UnknownIdError listing the valid ones."""
    data = data if data is not None else load_dataset()
    if not isinstance(source_id, str) or source_id not in data.source_ids:
        raise _unknown("source id", source_id, data.source_ids)
    return source_id


def check_case(case_id: object, data: Dataset | None = None) -> str:
    """The case id if the dataset has it; else UnknownIdError listing the valid ones."""
    data = data if data is not None else load_dataset()
    if not isinstance(case_id, str) or case_id not in data.case_ids:
        raise _unknown("case id", case_id, data.case_ids)
    return case_id


def check_case_ids(case_ids: object, data: Dataset | None = None) -> list[str]:
    """A list of case ids: None means every case; one id may be given as a string.

    Order is kept and duplicates dropped; an empty list or an unknown id raises
    UnknownIdError listing the valid ids.
    """
    data = data if data is not None else load_dataset()
    if case_ids is None:
        return list(data.case_ids)
    if isinstance(case_ids, str):
        case_ids = [case_ids]
    if not isinstance(case_ids, Iterable):
        raise _unknown("case id", case_ids, data.case_ids)
    chosen = list(dict.fromkeys(case_ids))
    if not chosen:
        raise _unknown("case id", "(empty list)", data.case_ids)
    for case_id in chosen:
        check_case(case_id, data)
    return chosen


def check_align_on(align_on: object) -> str:
    """A stage to align cases on (attack, claim, leak, deadline...); else UnknownIdError."""
    from helpers.core.vocab import STAGES

    if not isinstance(align_on, str) or align_on not in STAGES:
        raise _unknown("alignment stage", align_on, list(STAGES))
    return align_on


def report_links(enabled: object):
    """Links to the other report pages, when the notebook is rendered as a report."""
    from helpers.present.pages import Links

    return Links(check_bool("link_reports", enabled))


def links_line(links, items: list[tuple[str | None, str]], lead: str = "See also") -> HTML:
    """A line of links (escaped); nothing in JupyterLab, where the pages do not exist."""
    shown = [(href, text) for href, text in items if href]
    if not shown:
        return HTML("")
    parts = ", ".join(f'<a href="{html.escape(href, quote=True)}">{html.escape(text)}</a>'
                      for href, text in shown)
    return HTML(f"<p>{html.escape(lead)}: {parts}.</p>")


def check_bool(name: str, value: object) -> bool:
    """A boolean parameter (papermill passes real booleans; strings are a mistake)."""
    if not isinstance(value, bool):
        raise ValueError(f"parameter {name!r} must be True or False, not {value!r}")
    return value
