"""The project: one SQLite file holding an article, its claims, sources, verdicts and history.

`store` is the Project API; `schema` and its migrations; `records` the values it returns;
`scales` the rating scales; `evaluation` source checklists; `jsonio` the JSON export and import;
`create` builds a new project from an article.
"""
