def help():
    return "at the layer root: never on sys.path"
