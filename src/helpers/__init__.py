"""Hospital ransomware timelines: from source articles to a dataset, timelines and reports.

The package follows the data, one sub-package per stage; a stage imports only the stages
before it (tests/test_architecture.py checks it), and docs/architecture.md draws it:

* :mod:`helpers.core`: what every stage shares (paths, errors, vocabularies, the tables'
  schema, the typed form of the tables in memory, labels);
* :mod:`helpers.raw`: data/raw read (sources, cases, groups, annotations, YAML), and the
  scaffold that writes new raw files;
* :mod:`helpers.resolution`: dates as written, resolved (French and English lexicons as
  data files), hand dates, quotes located in texts;
* :mod:`helpers.build`: every check of data/raw, and the primary tables;
* :mod:`helpers.derive`: the derived tables (best dates, stages, delays) and cross-case
  summaries;
* :mod:`helpers.present`: figures, tables for people, the annotator's views and form;
* :mod:`helpers.publish`: the data package and codebook, the reports, the exports.

:mod:`helpers.pipeline` runs build, derive and the writer in order; ``python -m helpers``
(:mod:`helpers.__main__`) gives every command.
"""
