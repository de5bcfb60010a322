"""statements fixture: a real boto3.client('s3') at module level (app/clients.py:4)."""
import app.clients


def lambda_handler(event, context):
    return {"client": app.clients.s3.meta.service_model.service_name}
