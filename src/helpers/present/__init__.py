"""What people see, read from the processed tables: figures (:mod:`.figures`), tables
(:mod:`.tables`), page headings and overview tables (:mod:`.overview`, :mod:`.pages`),
notebook parameters (:mod:`.notebook_params`), the annotator's views and form
(:mod:`.annotation_view`, :mod:`.annotate`, :mod:`.annotate_form`) and JupyterLab
(:mod:`.lab`)."""
