VALUE = "layer a, shadowed by the function"
