"""The deployments view's parts: plain objects the screen (ui/screens/deployments.py) holds.

Each part is handed what it may call of the screen and the app (ports.py), so it can be driven
without Textual running: what the table shows (view.py), each poll (poll.py), alerts
(alerts.py), the server search (server_search.py), replay (replay.py), writes (writes.py), the
cursor row's links (links.py) and the sort keys' orders (sorting.py).
"""
