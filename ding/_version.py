__version__ = "0.1.0"
"""The version of this ding package (also ``importlib.metadata.version("ding")``)."""
