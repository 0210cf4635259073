"""What drtui keeps on disk: the flight recorder (SQLite), its recorder thread and where the
state directory is. The one place storage lives, so a second backend plugs in here."""
