import json

import heavypkg
import mid
import light


def lambda_handler(event, context):
    return {"statusCode": 200, "body": json.dumps({"heavy": heavypkg.NAME, "mid": mid.NAME, "light": light.NAME})}
