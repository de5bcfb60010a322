import layerdep
import extradep


def handler(event, context):
    return layerdep.VALUE + extradep.VALUE
