import decimal
import email.utils
import http.client
import xml.dom.minidom

from app import schema


class OrderStore:
    def __init__(self, table):
        self.table = table
        self.schema = schema.ORDER

    def get(self, order_id):
        return {"id": order_id, "total": str(decimal.Decimal("12.50")), "date": email.utils.formatdate()}
