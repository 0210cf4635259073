"""The deployments view's parts: plain objects the screen (ui/screens/deployments.py) holds.

Each part takes what it needs from the screen and the app as callables (ports.py), so it can be
driven without Textual running: alerts (alerts.py), what the table shows (view.py), the server
search (server_search.py), replay (replay.py), writes (writes.py).
"""
