"""Claims: the table model, the claim panel, and editing claims (split, merge, wording)."""
