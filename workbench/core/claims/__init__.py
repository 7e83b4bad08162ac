"""Claims: check-worthy sentences of an article, with kind, score, reasons and quotations."""
