# Shipped, never imported by the handler.
from .heavy import TABLE
