"""statements fixture: the cost of app.config sits on one statement, that of app.patterns in a loop."""
import app.config
import app.patterns


def lambda_handler(event, context):
    return {"debug": app.config.DEBUG, "patterns": len(app.patterns.PATTERNS)}
