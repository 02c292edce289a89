"""The pages around the reports: the index that orients a newcomer, and the codebook as HTML.

Both are plain HTML written from the published tables (every value escaped), readable
offline, and linked to and from every report (see :mod:`helpers.present.pages`).
"""
from __future__ import annotations

import html
import os
from pathlib import Path

from helpers.core.labels import date_label, is_missing
from helpers.present import pages

STYLE = """
body{font:15px/1.55 'DejaVu Sans',Arial,sans-serif;max-width:1100px;margin:0 auto;
padding:1em 1.5em 3em;color:#222}
h1{font-size:1.7em;margin:0.3em 0 0.2em} h2{font-size:1.25em;margin-top:1.8em;
border-bottom:1px solid #ddd;padding-bottom:0.2em}
table{border-collapse:collapse;width:100%;font-size:13px;margin:0.5em 0}
td,th{text-align:left;padding:0.3em 0.5em;border-bottom:1px solid #eee;vertical-align:top}
th{background:#f4f4f4;font-size:12px;color:#444} td.date{white-space:nowrap}
a{color:#1a4f8a} .lead{font-size:1.05em;max-width:52em} .muted{color:#777}
.start{display:flex;gap:1em;flex-wrap:wrap;margin:0.8em 0}
.start a{display:block;border:1px solid #c9d6e6;border-radius:6px;padding:0.7em 1em;
text-decoration:none;background:#f5f8fc;max-width:20em}
.start a b{display:block;font-size:1.05em;margin-bottom:0.2em}
code{font-size:0.9em;background:#f4f4f4;padding:0 0.25em;border-radius:3px}
img.figure{max-width:100%;border:1px solid #eee}
""".strip()


def _e(value) -> str:
    return "" if is_missing(value) else html.escape(str(value), quote=True)


def page(title: str, body: list[str]) -> str:
    return "\n".join(['<!DOCTYPE html>', '<html lang="en">', "<head>", '<meta charset="utf-8">',
                      '<meta name="viewport" content="width=device-width, initial-scale=1">',
                      f"<title>{_e(title)}</title>", f"<style>{STYLE}</style>", "</head>",
                      "<body>", *body, "</body>", "</html>", ""])


def nav(current: str = "") -> str:
    """The line of links at the top of every page (index, comparisons, overview, codebook)."""
    items = [(pages.INDEX, "Index"), (pages.COMPARE_PAIR, "Les Bluets & Cannes"),
             (pages.COMPARE_ALL, "All cases compared"), (pages.OVERVIEW, "Dataset overview"),
             (pages.CODEBOOK, "Codebook")]
    links = [f"<b>{_e(text)}</b>" if href == current else f'<a href="{_e(href)}">{_e(text)}</a>'
             for href, text in items]
    return " · ".join(links)


def index_html(data, present: set[str], processed_rel: str, title: str) -> str:
    """The index: what the dataset is, where to start, the cases, the sources, the data."""
    from helpers.present.tables import key_facts, source_list

    def linked(href: str, text: str) -> str:
        return f'<a href="{_e(href)}">{_e(text)}</a>' if href in present else _e(text)

    n_cases, n_sources = len(data.cases), len(data.sources)
    body = [f'<p class="muted">{nav(pages.INDEX)}</p>', f"<h1>{_e(title)}</h1>",
            f'<p class="lead">A dataset of <b>{n_cases} ransomware and extortion attacks on French '
            f"hospitals and clinics</b>, built from {n_sources} news reports and hospitals' own statements. Each "
            "event (attack, claim, ransom demand, leak, police action...) is recorded as each "
            "source reports it, with its evidence and its date as written; when sources "
            "disagree, every version is kept. From these events the dataset derives the stages "
            "of each attack and the delays between them, shown in the pages below.</p>",
            f'<p class="muted">Version {_e(data.version)} · data under CC BY 4.0, code under MIT · '
            "every page works offline.</p>",
            "<h2>Start here</h2>", '<div class="start">']
    starts = [(pages.COMPARE_PAIR, "Les Bluets and Cannes, side by side",
               "Two attacks day by day: the maternity in Paris (2022) and the Cannes hospital "
               "(2024)."),
              (pages.COMPARE_ALL, f"All {n_cases} cases compared",
               "Every case aligned on the day of its attack, and the delays between stages."),
              (pages.OVERVIEW, "What the dataset holds",
               "Counts, coverage of each stage, precision of the dates, sources.")]
    for href, head, text in starts:
        if href in present:
            body.append(f'<a href="{_e(href)}"><b>{_e(head)}</b>{_e(text)}</a>')
    body.append("</div>")
    body += ["<h2>The cases</h2>",
             '<p class="muted">Dates are the best dates the dataset publishes for the attack '
             "and the leak; a case page shows every source's version.</p>",
             "<table><tr><th>Hospital</th><th>Victim</th><th>City</th><th>Group</th>"
             "<th>Kind</th><th>Attack</th><th>Leak</th><th>Sources</th></tr>"]
    facts = key_facts(data)
    kinds = dict(zip(data.cases.case_id, data.cases.incident_kind))
    rows = sorted(zip(data.cases.case_id, facts.to_dict("records")),
                  key=lambda item: _attack_order(data, item[0]))
    for case_id, row in rows:
        body.append(
            f"<tr><td>{linked(pages.case_page(case_id), row['Hospital'])}</td>"
            f"<td>{_e(row['Victim'])}</td><td>{_e(row['City'])}</td><td>{_e(row['Group'])}</td>"
            f"<td>{_e(str(kinds[case_id]).replace('_', ' '))}</td>"
            f"<td class=\"date\">{_e(row['Attack'])}</td><td class=\"date\">{_e(row['Leak'])}</td><td>{_e(row['Sources'])}</td></tr>")
    body.append("</table>")
    body += ["<h2>The sources</h2>",
             '<p class="muted">Stored texts first (quoted verbatim), then citation-only sources '
             "(paraphrased in our words). Each page shows the source's events.</p>",
             "<table><tr><th>Outlet</th><th>Title</th><th>Published</th><th>Kind</th>"
             "<th>Cases</th></tr>"]
    listing = source_list(data)
    for source_id, row in zip(_source_order(data), listing.to_dict("records")):
        body.append(f"<tr><td>{_e(row['Outlet'])}</td>"
                    f"<td>{linked(pages.source_page(source_id), html.unescape(row['Title']))}"
                    f"</td><td>{_e(row['Published'])}</td><td>{_e(row['Kind'])}</td>"
                    f"<td>{_e(row['Cases'])}</td></tr>")
    body.append("</table>")
    files = ["events", "case_timeline", "case_stages", "delays", "cases", "sources", "groups",
             "case_groups"]
    body += ["<h2>The data</h2>",
             f"<p>The {linked(pages.CODEBOOK, 'codebook')} documents every table, column, "
             "vocabulary and rule (best dates, stages, delays). The tables are CSV files of a "
             f"Frictionless data package (<a href=\"{_e(processed_rel)}/datapackage.json\">"
             "datapackage.json</a>), in the repository's <code>data/processed/</code>: "
             + ", ".join(f'<a href="{_e(processed_rel)}/{f}.csv">{f}.csv</a>' for f in files)
             + ".</p>",
             f"<p>How the dataset was built from <code>data/raw/</code>: "
             f"{linked(pages.BUILD, 'the build report')}. To cite it, see "
             "<code>CITATION.cff</code>; the stored articles remain their publishers' property."
             "</p>"]
    return page(f"{title}: index", body)


def _attack_order(data, case_id: str):
    stages = data.case_stages
    row = stages[(stages.case_id == case_id) & (stages.stage == "attack")]
    best = row.best_date.iloc[0] if len(row) else None
    return (str(best) if not is_missing(best) else "9999", case_id)


def _source_order(data) -> list[str]:
    """Source ids in the order of :func:`helpers.present.tables.source_list`."""
    rows = sorted(data.sources.to_dict("records"),
                  key=lambda r: (not bool(r["has_text"]), str(r["outlet"]).lower(),
                                 str(r["published"] or "")))
    return [r["source_id"] for r in rows]


def codebook_html(markdown_text: str, version: str) -> str:
    """The codebook (generated Markdown) as an HTML page."""
    import mistune

    render = mistune.create_markdown(escape=True, plugins=["table"])
    body = [f'<p class="muted">{nav(pages.CODEBOOK)}</p>', render(markdown_text),
            f'<p class="muted">Dataset version {_e(version)}.</p>']
    return page(f"Codebook {version}", body)


def relative(target: Path, start: Path) -> str:
    return os.path.relpath(target, start).replace(os.sep, "/")


__all__ = ["index_html", "codebook_html", "nav", "page", "date_label"]
