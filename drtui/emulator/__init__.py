"""A DataRobot in a box: ASGI app, seeded fleet, clock, chaos, control API, servers.

Entry points: `config.EmulatorConfig` (what world to build), `app.create_app(config)` (the ASGI
app, for httpx.ASGITransport), `server.EmulatorServer` (uvicorn on loopback plus the download
listener), `command.serve` / `python -m drtui.emulator` (the foreground command). This package
never imports drtui.api: it is an independent reading of the API reference, so each checks the
other.

The world: a seeded fleet (5 % of records sparse like an older installation's, 2 % 2020
leftovers with every health unknown; health windows of seven days ending at the hour), which
evolves minute by minute; busy deployments predict on a beat between the minutes
(predictions.py), and custom model deployments' logs grow at `log_rate` records per second up
to `log_max_bytes` (livelog.py). Knobs: `history_hours` plays that much evolution at start,
`first_alert_seconds` degrades one deployment that soon after (the demo uses both).

Control API (any valid token; never subject to chaos):
  POST   /_emulator/clock/advance   {"seconds": N}: move the clock (manual or wall)
  PUT/GET/DELETE /_emulator/chaos   fault injection settings (config.ChaosSettings)
  POST   /_emulator/reset           rebuild the world from the seed (history replayed)
  GET    /_emulator/requests        API request log; ?method=PATCH,POST,DELETE filters it
  DELETE /_emulator/requests        clear it
  GET    /_emulator/downloads       PPS download log
  GET    /_emulator/transitions     health transitions so far; ?since=<ISO instant>
"""
