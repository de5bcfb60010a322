from extras import plugins

SUFFIX = plugins.SUFFIX
