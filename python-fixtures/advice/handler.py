"""A handler with one of each problem the advice names (costs made with time.sleep)."""
import json

import boto3  # a stand-in package in this folder, so the fixture needs no AWS SDK
import legacy_export  # 60 ms, never used: remove it
import reports  # 90 ms, used only inside the handler: defer it
import settings_loader  # its __init__ does 50 ms of work at import

CONFIG = settings_loader.load()
s3 = boto3.client("s3")  # module-level client: the right pattern, reused across invocations


def lambda_handler(event, context):
    return {"report": reports.build(event), "bucket": CONFIG["bucket"], "client": s3.name}
