"""The article pane: the text with claim highlights and links."""
