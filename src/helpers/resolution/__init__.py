"""Dates as written, read: the resolver and its lexicons (:mod:`.dates`, lexicons in
``lexicons/``), reading an expression in its sentence (:mod:`.context`), hand-written dates
(:mod:`.hand`), and quotes located in a text (:mod:`.quotes`)."""
