"""A package of the task root with a submodule (imports_handler.py's fixture)."""
from lcpkg.models import total

__all__ = ["total"]
