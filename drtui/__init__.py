"""drtui: a terminal dashboard for the health of DataRobot MLOps deployments."""

import logging

__version__ = "0.1.0"

# drtui's records go where the app sends them (its debug log) or nowhere: never through
# Python's last-resort handler to stderr, where a command has already said what matters.
logging.getLogger("drtui").addHandler(logging.NullHandler())
