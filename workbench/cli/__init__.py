"""The `workbench` command: `main` parses arguments; each room of the core has its commands here."""
