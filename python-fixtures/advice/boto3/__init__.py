"""Stand-in for boto3 in this fixture: client() takes 30 ms, as building a real client (service model) does."""
import time


class _Client(object):
    def __init__(self, name):
        time.sleep(0.03)
        self.name = name


def client(service_name, **kwargs):
    return _Client(service_name)
