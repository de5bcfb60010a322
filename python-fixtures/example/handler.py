"""An order-lookup Lambda handler: the kind of code whose cold start lambda-cold explains."""
import json
import logging

from app import config
from app.store import OrderStore

logger = logging.getLogger()
store = OrderStore(config.TABLE_NAME)


def lambda_handler(event, context):
    order_id = (event or {}).get("orderId", "42")
    return {"statusCode": 200, "body": json.dumps(store.get(order_id))}
