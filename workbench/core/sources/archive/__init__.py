"""Finding and fetching archived copies of cited pages (Wayback, Memento aggregators, live).

Pure Python, no Qt. `wayback` and `memento` speak to the archives; `linkformat` parses RFC 8288
Link headers for both; `select` ranks captures against an article's date; `service` ties the
chain together and returns a `workbench.core.sources.snapshot.Snapshot` or raises `FetchFailure`.
"""
