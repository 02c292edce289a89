"""What leaves the project: the data package, CSV and codebook (:mod:`.package`), the HTML
reports (:mod:`.reports`, :mod:`.kernels`, :mod:`.offline`, :mod:`.index_page`), the README's
coverage tables (:mod:`.readme`), versions (:mod:`.version`), static figures
(:mod:`.export`) and the other exports (:mod:`.exports`, :mod:`.serve`)."""
