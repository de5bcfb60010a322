"""Raises in the handler: a function error (X-Amz-Function-Error: Unhandled); the environment lives on."""
import os


class PaymentDeclined(Exception):
    pass


def handler(event, context):
    print("PID: %d" % os.getpid())
    raise PaymentDeclined("card 4242 declined")
