def old():
    return 3
