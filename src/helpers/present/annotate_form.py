"""Notebook 01's annotation form: annotate a source in JupyterLab, where it is read.

:class:`Session` gives notebook 01 its views of one source (the text with its highlights,
its events, its validation messages) and the form. Under papermill, or any kernel without a
live front end, the views are exactly the report's (read from data/processed, the
validation of data/raw) and the form shows nothing. In JupyterLab they are widgets read
from data/raw and redrawn after every change the form makes.

The form (ipywidgets, no JupyterLab extension to build) starts from what the text offers:
an unaccounted date expression ("Annotate" fills in its sentence as the quote, the
expression as written, how the build reads it, the case, an id by the naming convention,
the case's event keys as choices) or a pasted passage. The researcher chooses the type, the
status, the actors and writes the summary; "Check" and "Add" run the build's checks
(:mod:`helpers.present.annotate`) and show their problems in the form; nothing is written until the
event is valid. Expressions are dismissed with a reason, events edited or removed through
the same checks. Citation-only sources take a paraphrase and the date as written.
"""
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from helpers.build import interim
from helpers.core.errors import UnknownIdError
from helpers.core.paths import RAW_DIR
from helpers.core.vocab import EVENT_TYPES, GROUP_EVENT_TYPES, STATUSES
from helpers.present import annotate, annotation_view
from helpers.resolution.context import sentence_bounds

# The annotation fields the form edits; an event's other fields are kept as they are.
FORM_FIELDS = ("case", "type", "event_key", "status", "quote", "quote_occurrence",
               "paraphrase", "date_text", "date_text_verbatim", "date", "date_note", "anchor",
               "not_before", "not_after", "actor", "target", "data_volume_gb", "deadline",
               "summary", "notes")
EVENT_COLUMNS = ["event_id", "case_id", "event_type", "event_key", "source_id", "date_text",
                 "is_date_text_verbatim", "date_iso", "time_of_day", "earliest_datetime",
                 "latest_datetime", "date_precision", "date_method", "deadline_text", "deadline_iso",
                 "quote", "quote_start", "quote_end", "date_text_start", "date_text_end",
                 "paraphrase", "actor", "target", "status", "summary"]
NEEDS_LIVE_KERNEL = ("The annotation form needs a live, interactive kernel: open this notebook "
                     "in JupyterLab (make lab) and run its cells.")


def interactive_kernel() -> bool:
    """Whether this code runs in a kernel driven by a live front end (JupyterLab), which can
    show widgets and answer them. papermill and nbconvert run cells without one: their
    execute requests do not allow stdin, a front end's do."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None:
        return False
    try:
        parent = kernel.get_parent("shell")
    except Exception:  # an older kernel without channels
        parent = getattr(kernel, "_parent_header", None) or {}
    return bool((parent or {}).get("content", {}).get("allow_stdin"))


@dataclass
class LiveData:
    """What annotation_view needs of a Dataset, read from data/raw now."""

    sources: pd.DataFrame
    events: pd.DataFrame
    dismissed: pd.DataFrame

    @property
    def source_ids(self) -> list[str]:
        return sorted(self.sources.source_id)

    def check_source(self, source_id: str) -> str:
        if source_id not in self.source_ids:
            raise UnknownIdError("source id", source_id, self.source_ids)
        return source_id


def live_data(state: annotate.SourceState, sources: pd.DataFrame | None) -> LiveData:
    """The source's events and dismissals as the build reads them now, with its metadata."""
    from helpers.build.rows import source_row

    events = pd.DataFrame(state.event_rows, columns=EVENT_COLUMNS)
    for column in ("earliest_datetime", "latest_datetime", "date_iso"):
        events[column] = pd.to_datetime(events[column].replace("", None), errors="coerce")
    dismissed = pd.DataFrame(state.dismissed_rows,
                             columns=["source_id", "text", "text_start", "text_end", "reason"])
    if sources is None or state.source_id not in set(sources.source_id):
        rows = [source_row(state.source)] if state.source is not None else []
        sources = pd.DataFrame(rows)
    return LiveData(sources, events, dismissed)


class Session:
    """Notebook 01's views of a source and its form: the report's views without a live
    kernel, live widgets with one."""

    def __init__(self, source_id: str, data=None, raw_dir: Path = RAW_DIR,
                 interactive: bool | None = None):
        self.source_id = source_id
        self.data = data
        self.raw_dir = Path(raw_dir)
        self.interactive = interactive_kernel() if interactive is None else interactive
        self._form: AnnotationForm | None = None

    # Each view: as the report shows it, or a widget the form redraws.
    def source_view(self):
        if not self.interactive:
            return annotation_view.source_view(self.source_id, self.data)
        return self._live().views["text"]

    def events_view(self):
        if not self.interactive:
            return annotation_view.events_view(self.data, self.source_id)
        return self._live().views["events"]

    def problems_view(self):
        if not self.interactive:
            text_file = self.data.sources.set_index("source_id").loc[self.source_id,
                                                                      "text_file"]
            problems = annotation_view.source_problems(interim.current_problems(self.raw_dir),
                                                       self.source_id, text_file)
            return annotation_view.problems_view(problems)
        return self._live().views["problems"]

    def form(self):
        """The form in JupyterLab; nothing without a live kernel (see NEEDS_LIVE_KERNEL)."""
        if not self.interactive:
            return None
        return self._live().widget

    def _live(self) -> "AnnotationForm":
        if self._form is None:
            sources = getattr(self.data, "sources", None)
            self._form = AnnotationForm(self.source_id, self.raw_dir, sources)
        return self._form


def _esc(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _message_html(kind: str, text: str, problems=()) -> str:
    colors = {"ok": "#1b6e2a", "error": "#a00000", "info": "#1a4f8a"}
    items = "".join(f"<li>{_esc(annotate._problem_line(p))}</li>" for p in problems)
    listed = f"<ul>{items}</ul>" if items else ""
    return (f'<div class="hrt-message hrt-message-{kind}" style="color:{colors[kind]};'
            f'font: 13px/1.5 sans-serif"><b>{_esc(text)}</b>{listed}</div>')


class AnnotationForm:
    """The widgets: unaccounted expressions, a passage, the event form, dismissals, edits."""

    def __init__(self, source_id: str, raw_dir: Path, sources: pd.DataFrame | None = None):
        import ipywidgets as w

        self.w = w
        self.source_id = source_id
        self.raw_dir = Path(raw_dir)
        self.sources = sources
        self.state: annotate.SourceState | None = None
        self.editing: str | None = None  # the id of the event loaded for editing
        self._auto_id = True  # the id follows the key until the researcher types one
        self._auto_key = True
        self._setting = False
        self._pending_dismissal: tuple[str, int | None] | None = None
        self.views = {name: w.HTML(layout=w.Layout(width="100%"))
                      for name in ("text", "events", "problems")}
        for name, view in self.views.items():
            view.add_class(f"hrt-live-{name}")
        self._build()
        self.refresh()

    # --- layout -------------------------------------------------------------------------

    def _field(self, kind, name: str, label: str, **kwargs):
        w = self.w
        style = {"description_width": "10em"}
        width = kwargs.pop("width", "100%")
        widget = kind(description=label, style=style, layout=w.Layout(width=width), **kwargs)
        widget.add_class(f"hrt-{name.replace('_', '-')}")
        self.f[name] = widget
        return widget

    def _build(self) -> None:
        w = self.w
        self.f = {}
        self.message = w.HTML()
        self.message.add_class("hrt-messages")
        self.reading = w.HTML()
        self.reading.add_class("hrt-reading")
        self.expressions = w.VBox()
        self.expressions.add_class("hrt-expressions")

        self.passage = w.Textarea(placeholder="…or paste a passage of the text here (the "
                                  "quote of an event, undated or not)",
                                  layout=w.Layout(width="100%", height="3.5em"))
        self.passage.add_class("hrt-passage")
        use_passage = self._button("Use this passage", "hrt-use-passage", self._on_passage)

        F = self._field
        F(w.Text, "id", "Event id")
        F(w.Dropdown, "case", "Case", options=[("(none: group-level event)", "")])
        F(w.Dropdown, "type", "Type", options=[("— choose —", "")] + [(t, t) for t in EVENT_TYPES])
        F(w.Combobox, "event_key", "Event key", placeholder="a key of the case, or a new one",
          ensure_option=False)
        F(w.Dropdown, "status", "Who says so", options=[("— choose —", "")] + [(s, s) for s in STATUSES])
        self.type_help, self.status_help = w.HTML(), w.HTML()
        F(w.Textarea, "quote", "Quote (verbatim)")
        F(w.Text, "quote_occurrence", "Quote occurrence", placeholder="only when the quote "
          "is found more than once", width="30em")
        F(w.Textarea, "paraphrase", "Paraphrase (English)")
        F(w.Text, "date_text", "Date as written", placeholder="as the source writes it; "
          "empty when undated")
        F(w.Checkbox, "date_text_verbatim", "the date is in the source's own words",
          value=True, indent=True)
        F(w.Text, "date", "Hand date", placeholder="optional: 2024, 2024-04, 2024-04-29 or "
          "2024-04-29T19:30", width="40em")
        F(w.Text, "date_note", "Date note", placeholder="why the hand date differs from the "
          "reading")
        F(w.Combobox, "anchor", "Anchor", placeholder="event key a relative date counts from",
          ensure_option=False, width="40em")
        F(w.Combobox, "not_before", "Not before", placeholder="undated: event key or ISO date",
          ensure_option=False, width="40em")
        F(w.Combobox, "not_after", "Not after", placeholder="undated: event key or ISO date",
          ensure_option=False, width="40em")
        F(w.Dropdown, "actor", "Actor (group)", options=[("—", "")], width="40em")
        F(w.Dropdown, "target", "Target (group)", options=[("—", "")], width="40em")
        F(w.Text, "deadline_text", "Deadline as written", placeholder="ultimatums: the "
          "deadline as the source writes it")
        F(w.Text, "deadline_date", "Deadline hand date", placeholder="optional ISO date",
          width="40em")
        F(w.Text, "data_volume_gb", "Data volume (GB)", placeholder="where stated",
          width="30em")
        F(w.Textarea, "summary", "Summary (English)")
        F(w.Textarea, "notes", "Notes")

        self.f["type"].observe(self._on_type, "value")
        self.f["type"].observe(lambda change: self._help(self.type_help, EVENT_TYPES,
                                                         change["new"]), "value")
        self.f["status"].observe(lambda change: self._help(self.status_help, STATUSES,
                                                           change["new"]), "value")
        self.f["case"].observe(self._on_case, "value")
        self.f["event_key"].observe(self._on_key, "value")
        self.f["id"].observe(self._on_id, "value")
        for name in ("date_text", "date_text_verbatim"):
            self.f[name].observe(self._on_date, "value")

        self.check_button = self._button("Check", "hrt-check", self._on_check,
                                         tooltip="Run the build's checks; write nothing")
        self.add_button = self._button("Add", "hrt-add", self._on_add, style="primary",
                                       tooltip="Check, and append the event to the YAML file")
        self.save_button = self._button("Save changes", "hrt-save", self._on_save,
                                        style="warning")
        self.clear_button = self._button("Clear", "hrt-clear", lambda _: self.clear())
        self.editing_label = w.HTML()

        self.dismiss_text = w.Text(description="Expression", style={"description_width": "10em"},
                                   layout=w.Layout(width="40em"))
        self.dismiss_text.add_class("hrt-dismiss-text")
        self.dismiss_reason = w.Text(description="Reason", placeholder="a duration, a date "
                                     "that is not an event, a restatement of…",
                                     style={"description_width": "10em"},
                                     layout=w.Layout(width="100%"))
        self.dismiss_reason.add_class("hrt-dismiss-reason")
        self.dismiss_button = self._button("Dismiss", "hrt-dismiss", self._on_dismiss)
        self.dismissals = w.Dropdown(description="Dismissed", style={"description_width": "10em"},
                                     layout=w.Layout(width="40em"))
        self.undismiss_button = self._button("Take back", "hrt-undismiss", self._on_undismiss)

        self.event_list = w.Dropdown(description="Event", style={"description_width": "10em"},
                                     layout=w.Layout(width="40em"))
        self.event_list.add_class("hrt-event-list")
        self.edit_button = self._button("Edit", "hrt-edit", self._on_edit)
        self.remove_reason = w.Text(description="Why remove", placeholder="the reason stays "
                                    "in the file", style={"description_width": "10em"},
                                    layout=w.Layout(width="100%"))
        self.remove_reason.add_class("hrt-remove-reason")
        self.remove_button = self._button("Remove", "hrt-remove", self._on_remove,
                                          style="danger")

        self.citation_note = w.HTML()
        self.text_part = w.VBox([
            w.HTML("<b>Date expressions neither annotated nor dismissed</b> — "
                   "<i>Annotate</i> fills the form from one; <i>Dismiss</i> says why it is "
                   "not an event."),
            self.expressions, w.HBox([self.passage, use_passage])])
        self.dismiss_part = w.VBox([
            w.HTML("<b>Dismiss a date expression</b>"), self.dismiss_text, self.dismiss_reason,
            w.HBox([self.dismiss_button]), w.HBox([self.dismissals, self.undismiss_button])])
        f = self.f
        self.event_part = w.VBox([
            w.HTML("<b>The event</b> (fields of docs/data-model.md)"), self.editing_label,
            f["id"], f["case"], f["type"], self.type_help, f["event_key"], f["status"],
            self.status_help, f["quote"],
            f["quote_occurrence"], f["paraphrase"], f["date_text"], f["date_text_verbatim"],
            self.reading, f["date"], f["date_note"], f["anchor"], f["not_before"],
            f["not_after"], f["actor"], f["target"], f["deadline_text"], f["deadline_date"],
            f["data_volume_gb"], f["summary"], f["notes"],
            w.HBox([self.check_button, self.add_button, self.save_button, self.clear_button]),
            self.message])
        self.edit_part = w.VBox([
            w.HTML("<b>Edit or remove an event of this source</b>"),
            w.HBox([self.event_list, self.edit_button]),
            w.HBox([self.remove_reason, self.remove_button])])
        path = annotate.annotation_path(self.source_id, self.raw_dir)
        try:
            path = path.resolve().relative_to(annotate._root_of(self.raw_dir))
        except ValueError:
            pass
        self.widget = w.VBox([
            w.HTML(f"<h3>Annotate {_esc(self.source_id)}</h3><p>Changes are checked as "
                   f"<code>make check</code> checks them and written to "
                   f"<code>{_esc(path)}</code> only when valid; the views above and below "
                   "follow.</p>"),
            self.citation_note, self.text_part, self.event_part, self.dismiss_part,
            self.edit_part], layout=w.Layout(width="100%", max_width="60em"))
        self.widget.add_class("hrt-form")

    @staticmethod
    def _help(widget, vocabulary: dict, value: str) -> None:
        """The codebook's definition of the chosen term, under its field."""
        widget.value = (f'<div style="margin-left:10.5em;font:12px sans-serif;color:#555">'
                        f"{_esc(vocabulary[value])}</div>" if value in vocabulary else "")

    def _button(self, label: str, css: str, handler, style: str = "", tooltip: str = ""):
        button = self.w.Button(description=label, button_style=style, tooltip=tooltip)
        button.add_class(css)
        button.on_click(self._guarded(handler))
        return button

    def _guarded(self, handler):
        """A click handler whose unexpected error is shown in the form, not lost."""
        def run(*args):
            try:
                handler(*args)
            except Exception as err:  # shown to the researcher; the file is untouched
                self._say("error", f"{type(err).__name__}: {err}")
        return run

    # --- state --------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read data/raw again and redraw everything that depends on it."""
        state = self.state = annotate.source_state(self.source_id, self.raw_dir)
        self.taken = annotate.used_ids(self.raw_dir)
        self.prefix = annotate.id_prefix(self.source_id, self.raw_dir, state)
        root = annotate._root_of(self.raw_dir)
        live = live_data(state, self.sources)
        if state.source is None:
            self.views["text"].value = _message_html(
                "error", f"The source {self.source_id} cannot be read from data/raw",
                state.problems)
        else:
            self.views["text"].value = annotation_view.source_view(
                self.source_id, live, self.raw_dir, root).html
        self.views["events"].value = annotation_view.events_view(live, self.source_id).html
        self.views["problems"].value = annotation_view.problems_view(state.problems).html
        self._redraw_choices()

    def _redraw_choices(self) -> None:
        w, state = self.w, self.state
        raw = state.checked.raw
        self._setting = True
        try:
            case = self.f["case"].value
            self.f["case"].options = [("(none: group-level event)", "")] + [
                (f"{c.case_id}: {c.victim}", c.case_id) for c in
                sorted(raw.cases.values(), key=lambda c: c.case_id)]
            self.f["case"].value = case if case in raw.cases else ""
            groups = [("—", "")] + [(f"{g.group_id} ({g.name})", g.group_id)
                                    for g in sorted(raw.groups.values(), key=lambda g: g.group_id)]
            for name in ("actor", "target"):
                value = self.f[name].value
                self.f[name].options = groups
                self.f[name].value = value if value in raw.groups else ""
        finally:
            self._setting = False
        self._update_keys()
        has_text = state.has_text
        self.text_part.layout.display = "" if has_text else "none"
        self.dismiss_part.layout.display = "" if has_text else "none"
        for name in ("quote", "quote_occurrence"):
            self.f[name].layout.display = "" if has_text else "none"
        for name in ("paraphrase", "date_text_verbatim"):
            self.f[name].layout.display = "none" if has_text else ""
        self.citation_note.value = "" if has_text else (
            "<p><b>Citation-only source</b>: no stored text; give an English paraphrase of "
            "what it says and the date as it writes it.</p>")
        rows = []
        for found in state.unaccounted:
            rows.append(self._expression_row(found))
        if not rows and has_text:
            rows = [w.HTML("<i>None: every date expression of the text is accounted for.</i>")]
        self.expressions.children = rows
        # Every event of the file, valid or not (one with problems is edited to fix them).
        resolved = {e.annotation.id: e for e in state.checked.events}
        events = []
        for event in state.checked.file.events if state.checked.file else []:
            event_id = event.fields.get("id")
            if not isinstance(event_id, str):
                continue
            item = resolved.get(event_id)
            label = (f"{event_id} — {event.fields.get('type')} — "
                     f"{event.fields.get('date_text') or 'undated'}")
            events.append((label + ("" if item is not None else " (has problems)"), event_id))
        _set_options(self.event_list, events)
        _set_options(self.dismissals, [(f"{d['text']} — {d['reason']}",
                                        (d["text"], self._dismissal_occurrence(d)))
                                       for d in state.dismissed_rows])
        self._toggle_deadline()
        self.save_button.disabled = self.editing is None

    def _dismissal_occurrence(self, row: dict) -> int | None:
        return annotate._occurrence(row["text"], self.state.source.text, row["text_start"])

    def _expression_row(self, found):
        w = self.w
        text = self.state.source.text
        first, last = sentence_bounds(text, found.start, found.end)
        before = _esc(text[max(first, found.start - 60):found.start])
        after = _esc(text[found.end:min(last, found.end + 60)])
        resolution = found.context_resolution or found.resolution
        reading = (f"read as {resolution.value or resolution.precision}" if resolution
                   else "not resolvable (a duration?)")
        label = w.HTML(f"«&nbsp;<b>{_esc(found.text)}</b>&nbsp;» at offset {found.start} "
                       f"({_esc(reading)}): <small>…{before}<u>{_esc(found.text)}</u>"
                       f"{after}…</small>", layout=w.Layout(width="42em"))
        pick = self._button("Annotate", "hrt-pick", lambda _: self.pick(found.start, found.end))
        drop = self._button("Dismiss…", "hrt-dismiss-pick",
                            lambda _: self.prepare_dismissal(found.start, found.end))
        row = w.HBox([label, pick, drop])
        row.add_class("hrt-expression")
        return row

    def _update_keys(self) -> None:
        keys = annotate.case_event_keys(self.state, self.f["case"].value or None)
        if not self.f["case"].value:  # group-level events: the keys of their group
            keys = {e.annotation.event_key: e.annotation.type
                    for e in self._all_events() if e.annotation.type in GROUP_EVENT_TYPES}
        self.f["event_key"].options = list(keys)
        self.f["anchor"].options = list(keys)
        self.f["not_before"].options = list(keys)
        self.f["not_after"].options = list(keys)

    def _all_events(self):
        from helpers.build import linked_events

        return linked_events(self.state.checked.raw)

    # --- filling the form ---------------------------------------------------------------

    def _set(self, name: str, value) -> None:
        widget = self.f[name]
        if isinstance(widget, self.w.Checkbox):
            widget.value = bool(value) if value is not None else True
        elif isinstance(widget, self.w.Dropdown):
            values = [o[1] if isinstance(o, tuple) else o for o in widget.options]
            widget.value = value if value in values else ""
        else:
            widget.value = "" if value is None else str(value)

    def clear(self, message: str = "") -> None:
        self._setting = True
        try:
            for name in self.f:
                self._set(name, None)
        finally:
            self._setting = False
        self.editing = None
        self._auto_id = self._auto_key = True
        self.editing_label.value = ""
        self.reading.value = ""
        self.save_button.disabled = True
        self.add_button.disabled = False
        self._toggle_deadline()
        self.message.value = message

    def fill(self, fields: dict) -> None:
        """Put an event's fields in the form (unknown ones are left out)."""
        self._setting = True
        try:
            for name in FORM_FIELDS:
                if name == "deadline":
                    deadline = fields.get("deadline") or {}
                    self._set("deadline_text", deadline.get("date_text"))
                    self._set("deadline_date", deadline.get("date"))
                elif name in self.f:
                    self._set(name, fields.get(name))
            if "id" in fields:
                self._set("id", fields["id"])
        finally:
            self._setting = False
        self._update_keys()
        self._toggle_deadline()
        self._on_date()

    def pick(self, start: int, end: int) -> None:
        """Fill the form from the date expression text[start:end]."""
        draft = annotate.draft_from_span(self.state, start, end)
        self.clear()
        self.fill(draft.fields)
        self._suggest_id()
        note = f"<br><i>{_esc(draft.note)}</i>" if draft.note else ""
        self.reading.value = self._reading_html(draft.reading) + note
        self._say("info", f"Filled from «{self.state.source.text[start:end]}» at offset "
                  f"{start}: choose the type, who says so, the actors, and write the summary.")

    def prepare_dismissal(self, start: int, end: int) -> None:
        text = self.state.source.text[start:end]
        self.dismiss_text.value = annotate.typed(text)
        self._pending_dismissal = (text, annotate._occurrence(text, self.state.source.text,
                                                              start))
        self.dismiss_reason.value = ""
        self._say("info", f"Say why «{text}» is not an event, then Dismiss.")

    def _on_passage(self, _=None) -> None:
        try:
            draft = annotate.draft_from_passage(self.state, self.passage.value)
        except ValueError as err:
            self._say("error", str(err))
            return
        self.clear()
        self.fill(draft.fields)
        self._suggest_id()
        self.reading.value = self._reading_html(draft.reading)
        self._say("info", "Filled from the passage.")

    # --- reacting to the researcher -----------------------------------------------------

    def _on_type(self, change) -> None:
        if self._setting:
            return
        event_type = change["new"]
        if event_type in GROUP_EVENT_TYPES and self.f["case"].value:
            self.f["case"].value = ""
        if self._auto_key or not self.f["event_key"].value:
            self._setting = True
            try:
                self.f["event_key"].value = annotate.default_event_key(
                    self.state, self.f["case"].value or None, event_type) if event_type else ""
            finally:
                self._setting = False
            self._auto_key = True
            self._suggest_id()
        self._toggle_deadline()

    def _on_case(self, change) -> None:
        if not self._setting:
            self._update_keys()

    def _on_key(self, change) -> None:
        if self._setting:
            return
        self._auto_key = False
        self._suggest_id()

    def _on_id(self, change) -> None:
        if not self._setting:
            self._auto_id = False

    def _suggest_id(self) -> None:
        if self.editing or not self._auto_id:
            return
        key = self.f["event_key"].value.strip()
        if not key:
            return
        self._setting = True
        try:
            self.f["id"].value = annotate.suggest_event_id(self.source_id, key, self.raw_dir,
                                                           self.state, self.taken)
        finally:
            self._setting = False

    def _on_date(self, change=None) -> None:
        if self._setting:
            return
        date_text = self.f["date_text"].value.strip()
        if not date_text:
            self.reading.value = self._reading_html("undated: bounded by not_before / "
                                                    "not_after (default: the attack and the "
                                                    "publication)")
            return
        verbatim = True if self.state.has_text else self.f["date_text_verbatim"].value
        resolution, error = annotate.read_date(self.state, date_text, verbatim)
        self.reading.value = self._reading_html(
            annotate.describe_interval(resolution) if resolution
            else f"not resolved alone ({error}): give an anchor, or a hand date with a note")

    def _reading_html(self, text: str) -> str:
        return (f'<div style="margin-left:10.5em;font:13px sans-serif;color:#333">read as: '
                f"<b>{_esc(text)}</b></div>")

    def _toggle_deadline(self) -> None:
        shown = self.f["type"].value == "ultimatum"
        for name in ("deadline_text", "deadline_date"):
            self.f[name].layout.display = "" if shown else "none"

    def _say(self, kind: str, text: str, problems=()) -> None:
        self.message.value = _message_html(kind, text, problems)

    # --- the fields as the file will hold them ------------------------------------------

    def fields(self) -> dict:
        v = {name: widget.value for name, widget in self.f.items()}
        text = {k: (val.strip() if isinstance(val, str) else val) for k, val in v.items()}
        fields = {"id": text["id"], "case": text["case"] or None, "type": text["type"],
                  "event_key": text["event_key"], "status": text["status"]}
        if self.state.has_text:
            fields["quote"] = v["quote"].strip()
            occurrence = text["quote_occurrence"]
            fields["quote_occurrence"] = int(occurrence) if occurrence.isdigit() \
                and int(occurrence) > 1 else None
        else:
            fields["paraphrase"] = text["paraphrase"]
        fields["date_text"] = text["date_text"] or None
        if not self.state.has_text and fields["date_text"]:
            fields["date_text_verbatim"] = bool(v["date_text_verbatim"])
        for name in ("date", "date_note", "anchor", "not_before", "not_after", "actor",
                     "target"):
            fields[name] = text[name] or None
        if fields["type"] == "ultimatum" and (text["deadline_text"] or text["deadline_date"]):
            fields["deadline"] = {"date_text": text["deadline_text"] or None,
                                  "date": text["deadline_date"] or None}
        else:
            fields["deadline"] = None
        fields["data_volume_gb"] = _number(text["data_volume_gb"])
        fields["summary"] = text["summary"]
        fields["notes"] = text["notes"] or None
        return fields

    def _changes(self) -> dict:
        """The form's fields as changes to the event being edited: an emptied field goes."""
        fields = self.fields()
        fields.pop("id")
        changes = {}
        for name in FORM_FIELDS:
            value = fields.get(name)
            if name == "date_text":
                changes[name] = value
            elif value is None or value == "":
                changes[name] = annotate.REMOVE
            else:
                changes[name] = value
        return changes

    # --- actions ------------------------------------------------------------------------

    def _report(self, outcome: annotate.Outcome) -> None:
        reading = f" The build dates it: {outcome.reading}." if outcome.reading else ""
        self._say("ok" if outcome.ok else "error", outcome.message + reading, outcome.problems)

    def _on_check(self, _=None) -> None:
        if self.editing:
            outcome = annotate.edit_event(self.source_id, self.editing, self._changes(),
                                          self.raw_dir, dry_run=True)
        else:
            outcome = annotate.add_event(self.source_id, self.fields(), self.raw_dir,
                                         dry_run=True)
        self._report(outcome)

    def _on_add(self, _=None) -> None:
        outcome = annotate.add_event(self.source_id, self.fields(), self.raw_dir)
        self._after(outcome)

    def _on_save(self, _=None) -> None:
        if not self.editing:
            self._say("error", "No event is loaded for editing: pick one under “Edit”.")
            return
        outcome = annotate.edit_event(self.source_id, self.editing, self._changes(),
                                      self.raw_dir)
        self._after(outcome)

    def _after(self, outcome: annotate.Outcome) -> None:
        if not outcome.ok:
            self._report(outcome)
            return
        self.refresh()
        left = len(self.state.unaccounted)
        self.clear()
        tail = (f" {left} date expression{'s' if left != 1 else ''} still to account for."
                if self.state.has_text else "")
        reading = f" The build dates it: {outcome.reading}." if outcome.reading else ""
        self._say("ok", outcome.message + "." + reading + tail)

    def _on_edit(self, _=None) -> None:
        event_id = self.event_list.value
        if not event_id:
            return
        fields = annotate.event_fields(self.source_id, event_id, self.raw_dir)
        if fields is None:
            self._say("error", f"{event_id} is not in the file any more")
            self.refresh()
            return
        self.clear()
        self.fill(fields)
        self.editing = event_id
        self._auto_id = self._auto_key = False
        self.save_button.disabled = False
        self.add_button.disabled = True
        kept = sorted(set(fields) - set(FORM_FIELDS) - {"id"})
        extra = f" Also has {', '.join(kept)} (kept as they are)." if kept else ""
        self.editing_label.value = (f"<p><b>Editing {_esc(event_id)}</b>: “Save changes” checks "
                                    "and writes them; “Clear” stops editing.</p>")
        self._say("info", f"{event_id} loaded.{extra}")

    def _on_remove(self, _=None) -> None:
        event_id = self.event_list.value
        if not event_id:
            return
        outcome = annotate.remove_event(self.source_id, event_id, self.remove_reason.value,
                                        self.raw_dir)
        if outcome.ok:
            self.remove_reason.value = ""
        self._after(outcome)

    def _on_dismiss(self, _=None) -> None:
        text = self.dismiss_text.value
        occurrence = None
        if self._pending_dismissal and annotate.typed(self._pending_dismissal[0]) == text:
            text, occurrence = self._pending_dismissal
        outcome = annotate.dismiss(self.source_id, text, self.dismiss_reason.value, occurrence,
                                   self.raw_dir)
        if outcome.ok:
            self.dismiss_text.value = self.dismiss_reason.value = ""
            self._pending_dismissal = None
        self._after(outcome)

    def _on_undismiss(self, _=None) -> None:
        if not self.dismissals.value:
            return
        text, occurrence = self.dismissals.value
        self._after(annotate.undismiss(self.source_id, text, occurrence, self.raw_dir))


def _set_options(dropdown, options: list[tuple]) -> None:
    """New choices for a dropdown, keeping its choice if still there, else the first."""
    current = dropdown.value
    dropdown.options = options
    values = [value for _, value in options]
    dropdown.value = current if current in values else (values[0] if values else None)


def _number(text: str):
    """A number typed in the form (a comma as decimal point allowed); text if it is not one,
    so that the build names the problem."""
    if not text:
        return None
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        return text
    return int(value) if value.is_integer() else value
