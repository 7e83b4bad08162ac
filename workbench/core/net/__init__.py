"""The bounded, polite HTTP client shared by article loading and source fetching.

`http` is the client (SSRF checks, per-host limits, deadlines, size caps); `settings` its
configuration from the environment; `errors` the failure kinds every fetch reports.
"""
