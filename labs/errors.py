"""Errors every layer shares."""


class EngineUnavailable(Exception):
    """No Docker engine answers. The CLI turns it into exit code 4."""
