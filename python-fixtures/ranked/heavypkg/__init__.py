import time

from heavypkg import core, util

NAME = "heavy"
time.sleep(0.0)
