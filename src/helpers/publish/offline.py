"""Executed notebooks to HTML reports that make no network request when opened from disk.

nbconvert's ``lab`` template loads require.js, MathJax and (when needed) mermaid from CDNs,
and plotly's notebook renderer adds a MathJax ``<script src="https://...">`` to every
figure. Here:

* a template extending ``lab`` (kept in this module, loaded through a DictLoader) drops the
  require.js, MathJax, mermaid and widgets blocks, hides code (``exclude_input``) and adds a
  navigation bar back to the index;
* :func:`make_offline` then removes any remaining ``<script src>`` / ``<link href>`` /
  ``<img src>`` that points off the machine (http, https or protocol-relative), and gives
  plotly's random div ids deterministic names, so that the same inputs give the same bytes;
* plotly.js itself is inline, once per page, in its head (:func:`with_plotlyjs`): the
  notebooks' figures are divs that expect it (see :func:`helpers.present.notebook_params.setup`).
"""
from __future__ import annotations

import functools
import html
import re

import jinja2
import nbformat

TEMPLATE_NAME = "hrt_report.html.j2"

TEMPLATE = r"""
{%- extends 'index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{% block extra_css %}
<style type="text/css">
body.jp-Notebook { max-width: 1200px; margin: 0 auto; padding: 0 1.2em 3em; }
.hrt-nav { font: 13px/1.5 var(--jp-ui-font-family, sans-serif); padding: 0.6em 0;
  border-bottom: 1px solid #ddd; margin-bottom: 0.8em; color: #555; }
.hrt-nav a { color: #1a4f8a; }
body.jp-Notebook .jp-RenderedHTMLCommon table { font-size: 12px; }
body.jp-Notebook .jp-RenderedHTMLCommon td, body.jp-Notebook .jp-RenderedHTMLCommon th {
  max-width: 36em; min-width: 3em; vertical-align: top; text-align: left; }
body.jp-Notebook .jp-RenderedHTMLCommon td:nth-child(n+2) { min-width: 5em; }
.jp-OutputArea-output { overflow-x: auto; }
</style>
{% endblock extra_css %}
{%- block body_header -%}
{{ super() }}
{%- if resources.hrt_nav %}
<nav class="hrt-nav">{{ resources.hrt_nav }}</nav>
{%- endif %}
{%- endblock body_header -%}
"""

# Tags that would make the browser fetch something from another machine.
_REMOTE = r"""(?:https?:)?//"""
_REMOTE_SCRIPT = re.compile(
    r"""<script\b[^>]*\bsrc\s*=\s*["']?""" + _REMOTE + r"""[^>]*>\s*</script>""", re.I)
_REMOTE_LINK = re.compile(r"""<link\b[^>]*\bhref\s*=\s*["']?""" + _REMOTE + r"""[^>]*/?>""",
                          re.I)
_REMOTE_IMG = re.compile(r"""<img\b[^>]*\bsrc\s*=\s*["']?""" + _REMOTE + r"""[^>]*/?>""", re.I)
_PLOTLY_DIV = re.compile(r"""<div\b[^>]*\bplotly-graph-div\b[^>]*>""")
_UUID_ID = re.compile(r"""\bid=["']([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})["']""")


@functools.lru_cache(maxsize=1)
def html_exporter():
    """nbconvert's HTML exporter with the offline template, code and prompts hidden
    (one per process: building it reads every template)."""
    from nbconvert import HTMLExporter

    exporter = HTMLExporter(
        template_name="lab",
        extra_loaders=[jinja2.DictLoader({TEMPLATE_NAME: TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exporter.template_file = TEMPLATE_NAME
    return exporter


def remote_references(text: str) -> list[str]:
    """The tags of `text` that would load something from the network."""
    return [m.group(0)[:200] for rx in (_REMOTE_SCRIPT, _REMOTE_LINK, _REMOTE_IMG)
            for m in rx.finditer(text)]


def make_offline(text: str) -> str:
    """Remove the tags that load remote resources; make plotly's div ids deterministic."""
    for rx in (_REMOTE_SCRIPT, _REMOTE_LINK, _REMOTE_IMG):
        text = rx.sub("", text)
    uids = [m.group(1) for tag in _PLOTLY_DIV.findall(text) if (m := _UUID_ID.search(tag))]
    for number, uid in enumerate(dict.fromkeys(uids), start=1):
        text = text.replace(uid, f"hrt-figure-{number}")
    return text


def notebook_to_html(nb: nbformat.NotebookNode, title: str, nav_html: str = "") -> str:
    """An executed notebook as an offline HTML page titled `title` (escaped here).

    `nav_html` is trusted HTML put at the top of the page (build it with escaped parts).
    """
    # A shallow copy (the caller's notebook is left as it was): cells and outputs are new
    # nodes where they change; the data they hold is shared, not copied.
    cells = []
    for cell in nb.cells:
        if cell.cell_type == "code" and not cell.get("outputs"):
            continue  # code is hidden: a code cell without output would leave a blank gap
        cell = nbformat.NotebookNode(cell)
        cell["id"] = f"cell-{len(cells)}"  # papermill's injected cell has a random id
        cell["metadata"] = nbformat.NotebookNode(
            {k: v for k, v in cell.get("metadata", {}).items()
             if k not in ("papermill", "execution")})
        if "outputs" in cell:
            cell["outputs"] = [_for_the_page(output) for output in cell["outputs"]]
        cells.append(cell)
    metadata = {k: v for k, v in nb.metadata.items() if k != "papermill"}
    nb = nbformat.NotebookNode({**nb, "cells": cells,
                                "metadata": nbformat.NotebookNode({**metadata,
                                                                   "title": title})})
    body, _ = html_exporter().from_notebook_node(
        nb, resources={"hrt_nav": nav_html, "metadata": {"name": title}})
    return with_plotlyjs(make_offline(body))  # plotly.js (5 MB) needs no scanning


def _for_the_page(output):
    """An output as the page shows it: a figure's JSON (for JupyterLab) is left out, its
    HTML stays."""
    data = output.get("data")
    if not data or "application/vnd.plotly.v1+json" not in data or "text/html" not in data:
        return output
    return nbformat.NotebookNode({**output, "data": nbformat.NotebookNode(
        {k: v for k, v in data.items() if k != "application/vnd.plotly.v1+json"})})


@functools.lru_cache(maxsize=1)
def _plotlyjs_script() -> str:
    from plotly.offline import get_plotlyjs

    return ('<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};'
            f"</script>\n<script type=\"text/javascript\">{get_plotlyjs()}</script>\n")


def with_plotlyjs(page: str) -> str:
    """The page with plotly.js inline in its head, once, when it shows a figure (the
    notebooks' figures expect it there: see helpers.present.notebook_params)."""
    if "plotly-graph-div" not in page:
        return page
    script = _plotlyjs_script()
    head_end = page.find("</head>")
    return page[:head_end] + script + page[head_end:] if head_end >= 0 else script + page


def nav_bar(title: str, parameters: dict, version: str, notebook: str = "") -> str:
    """The escaped navigation line of a report: the other pages, then what made this one
    (notebook and parameters, for a researcher who wants to run it again) and the version."""
    from helpers.publish.index_page import nav

    shown = {k: v for k, v in parameters.items() if k != "link_reports"}
    params = ", ".join(f"{k}={v!r}" for k, v in shown.items()) or "defaults"
    made = f"{notebook} with {params}" if notebook else params
    return (f"{nav()}<br><span style=\"color:#888\">This page: notebook "
            f"<code>{html.escape(made)}</code> · dataset version "
            f"{html.escape(str(version))}</span>")
