import shared
import six


def handler(event, context):
    return shared.VALUE
