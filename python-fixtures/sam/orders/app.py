import json

import pricing  # from the DepsLayer


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"total": pricing.total([1, 2])})}
