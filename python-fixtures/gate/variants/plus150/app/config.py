import time

time.sleep(0.170)  # 170 ms: the same settings, 150 ms slower (a regression no noise can hide)
SETTINGS = {"region": "eu-west-1"}
