import colorsys


def handler(event, context):
    return {"ok": True, "fn": context.function_name, "arn": context.invoked_function_arn}
