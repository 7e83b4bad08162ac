"""The desktop window (PySide6). Shows core data and turns gestures into core calls; no logic of its own."""
