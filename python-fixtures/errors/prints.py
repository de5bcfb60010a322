import sys

sys.stderr.write("warming up...")
import colorsys  # noqa: E402

print("hello from init")
