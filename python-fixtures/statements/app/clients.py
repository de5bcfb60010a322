"""A module-level SDK client: line 4 builds it (loading the service model)."""
import boto3

s3 = boto3.client("s3", region_name="us-east-1")
