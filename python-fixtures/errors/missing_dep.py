import json

import definitely_not_installed_dep  # lives in a layer that was not passed


def lambda_handler(event, context):
    return json.dumps(event)
