"""The servers of the API (a module of its own: the CLI's ``--help`` reads it without
loading the client)."""

SERVERS = ["https://api.ding.live/v1"]
"""The servers of the API, selectable with ``server_idx`` (a list, as the official client's)."""
