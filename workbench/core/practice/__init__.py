"""Practice mode: exercises and answer keys (`exercise`), grading (`grade`) and its statistics (`stats`)."""
