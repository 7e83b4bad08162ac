"""The frame: the main window, opening files, the welcome panel, shortcuts and shared dialogs."""
