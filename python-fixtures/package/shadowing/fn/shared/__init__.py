VALUE = "function"
