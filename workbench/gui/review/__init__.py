"""The editor's review: the queue of checked claims and the report preview."""
