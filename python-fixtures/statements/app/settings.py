"""load_settings() sleeps 40 ms: the statement that calls it at module level (app/config.py:8) pays."""
import time


def load_settings():
    time.sleep(0.04)
    return {"bucket": "reports", "debug": False}
