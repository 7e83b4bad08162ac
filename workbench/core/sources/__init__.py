"""Sources: archived and live copies of cited pages, web-archive files, and the evidence in them.

`archive` finds and fetches captures (Wayback, Memento); `warc` reads WARC/WACZ files;
`snapshot` is a stored copy; `checks` flags copies that are not the cited page; `pdftext` reads
PDFs; `evidence` ranks passages and checks quotations; `fetch` stores snapshots in a project.
"""
