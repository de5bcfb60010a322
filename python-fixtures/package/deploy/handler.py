# The function of python-fixtures/package: imports its own package and one from the layer.
import app
import layerdep


def lambda_handler(event, context):
    return {"version": app.VERSION, "layer": layerdep.NAME}
