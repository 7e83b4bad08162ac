"""An article: its bytes decoded, its readable text and metadata extracted, its sentences found.

`model` holds the values (Article, Link); `decode` turns bytes into text; `extract` reads HTML;
`load` is the entry point (files, HTML, URLs, pasted text); `segment` gives sentence spans.
"""
