"""Configuration read at import: line 8 calls a function defined elsewhere that takes 40 ms."""
import os

from app.settings import load_settings

DEBUG = os.environ.get("DEBUG") == "1"
REGION = os.environ.get("AWS_REGION", "us-east-1")
SETTINGS = load_settings()
TIMEOUT = 3
