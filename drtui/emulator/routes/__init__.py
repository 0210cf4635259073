"""HTTP handlers, one module per area of the API (plus the emulator's own control API)."""
