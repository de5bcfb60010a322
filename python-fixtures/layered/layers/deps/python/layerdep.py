import time

time.sleep(0.02)
VALUE = 1
