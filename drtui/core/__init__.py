"""Pure fleet logic shared by the screen and the CLI: rows, filtering, diffs, transitions."""
