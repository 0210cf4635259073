"""A DataRobot in a box: ASGI app, seeded fleet, clock, chaos, control API, servers.

Entry points: `config.EmulatorConfig` (what world to build), `app.create_app(config)` (the ASGI
app, for httpx.ASGITransport), `server.EmulatorServer` (uvicorn on loopback plus the download
listener), `command.serve` / `python -m drtui.emulator` (the foreground command). This package
never imports drtui.api: it is an independent reading of the API reference, so each checks the
other.
"""
