"""A stand-in for six, recorded as pip install -t records it."""
__version__ = "1.16.0"
