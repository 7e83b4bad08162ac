"""The fact-check library in the window: "Checked before" on the claim panel, imports."""
