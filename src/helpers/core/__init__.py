"""What every stage shares: folders (:mod:`.paths`), errors (:mod:`.errors`), vocabularies
(:mod:`.vocab`), the published tables' schema (:mod:`.schema`), the tables in memory and their
loader (:mod:`.frames`), the interval type of a bounded date (:mod:`.intervals`), labels for
people (:mod:`.labels`) and did-you-mean hints (:mod:`.suggest`)."""
