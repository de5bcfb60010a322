"""A handler whose init imports something worth profiling: a package of the task root (lcpkg, which pulls in
dataclasses) and standard-library modules the runtime's bootstrap does not load (decimal, fractions).
It writes a fragment without a newline before an import, so that program output glues onto a record."""
import sys

sys.stdout.write("warming up...")
import decimal  # noqa: E402
import fractions  # noqa: E402

import lcpkg  # noqa: E402

print("init done")


def handler(event, context):
    return {"ok": True, "total": str(lcpkg.total([decimal.Decimal("1.5"), fractions.Fraction(1, 2)]))}
