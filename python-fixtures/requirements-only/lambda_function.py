import json

from aws_lambda_powertools import Logger  # listed in requirements.txt, not installed into this folder

logger = Logger()


def lambda_handler(event, context):
    logger.info("event", extra={"event": event})
    return json.dumps(event)
