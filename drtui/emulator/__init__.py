"""A DataRobot in a box: ASGI app, seeded fleet, clock, chaos, control API, servers."""
