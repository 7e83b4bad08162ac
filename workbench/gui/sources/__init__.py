"""Sources: fetching, web-archive import, the side-by-side review and source evaluations."""
