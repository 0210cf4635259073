"""Widgets of the deployments screen."""
