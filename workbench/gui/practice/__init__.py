"""Practice mode: exercises, feedback against an answer key, class results."""
