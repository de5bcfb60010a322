"""A handler whose one slow import (≈100 ms) is used only inside the handler: the defer-import advice
depends on the memory size (at 128 MB the first request would pay about 14 times its cost at init)."""
import json

import thumbnails  # read only in lambda_handler: could be deferred into it


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps(thumbnails.render(event))}
