# The CI gate's fixture: a handler whose package does sleep-based work at import (known costs)
# and pulls in some of the standard library (real CPU work, the part a busy machine slows down).
import json

from app import db
from app.config import SETTINGS


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"table": db.TABLE, "region": SETTINGS["region"]})}
