from . import core, legacy

VERSION = core.VERSION
