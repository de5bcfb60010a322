"""A regular-expression table compiled at import: the loop on lines 7-8 pays (re.compile)."""
import re

WORDS = ["alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"]
PATTERNS = []

for i in range(250):
    PATTERNS.append(re.compile(r"(?P<w%d>(%s|%s)+)[a-z]{%d,%d}\d+(?:x|y|z){2}" % (i, WORDS[i % 8], WORDS[(i * 3) % 8], i % 7, i % 7 + 3)))

COUNT = len(PATTERNS)
