import time

time.sleep(0.09)  # 90 ms of work at import
