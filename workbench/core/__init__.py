"""Pure-Python core of Workbench. Nothing in this package may import Qt."""
