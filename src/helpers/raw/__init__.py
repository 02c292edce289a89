"""Where facts enter: data/raw read as it is written. Sources and their stored texts
(:mod:`.sources`), cases and groups (:mod:`.cases`), annotations (:mod:`.annotations`), YAML
with line numbers (:mod:`.yamlio`), all of it at once (:mod:`.load`), and the scaffold of
new files (:mod:`.scaffold`)."""
