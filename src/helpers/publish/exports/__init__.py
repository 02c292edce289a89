"""Exports of the data package to the formats its users work with, one module per format.

- :mod:`.sqlite`: a SQLite database and Datasette metadata (``make serve``);
- :mod:`.stix`: a STIX 2.1 bundle (``python -m helpers export stix``);
- :mod:`.timelinejs`: TimelineJS JSON per case and for the Les Bluets–Cannes pair
  (``python -m helpers export timelinejs``);
- :mod:`.release`: a versioned, reproducible zip of the data package (``make release``).

Each reads the data package (:func:`helpers.core.frames.load_dataset`, ``datapackage.json``) and
checks what it wrote against it (row counts, ids) before it returns; ``docs/exports.md`` says
what each mapping keeps and loses.
"""
