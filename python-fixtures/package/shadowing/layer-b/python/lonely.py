WHERE = "/opt/python of layer b: after site-packages"
