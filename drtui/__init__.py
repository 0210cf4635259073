"""drtui: a terminal dashboard for the health of DataRobot MLOps deployments."""

__version__ = "0.1.0"
