"""Finding and fetching archived copies of cited pages (Wayback, Memento aggregators, live).

Pure Python, no Qt. `http` is the bounded, polite HTTP client; `wayback` and `memento` speak to
the archives; `select` ranks captures against an article's date; `service` ties the chain
together and returns a `workbench.core.snapshot.Snapshot` or raises `FetchFailure`.
"""
