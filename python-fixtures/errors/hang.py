import colorsys
import time


def wait_for_database():
    while True:  # waits forever for a database that never answers
        time.sleep(0.05)


wait_for_database()
