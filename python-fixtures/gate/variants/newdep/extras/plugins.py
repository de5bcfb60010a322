SUFFIX = ""
