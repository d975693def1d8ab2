"""numba kernels: training finite networks, quadrature of transforms, random features.

OpenMP workers of numba's parallel loops wait passively between parallel regions (unless the user set
``OMP_WAIT_POLICY``): the claims run many short kernels in a row, and actively spinning workers cost each
region milliseconds on a machine whose cores are busy with anything else.
"""

import os

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")


def lazy_api(package: str, api: dict[str, str]):
    """``(__all__, __getattr__, __dir__)`` of a subpackage whose public names (``api``: name → module) are
    imported from their module on first use, so the modules of a package never import each other in a
    cycle through its ``__init__``."""
    import importlib

    def getattr_(name: str):
        if name in api:
            return getattr(importlib.import_module(f"{package}.{api[name]}"), name)
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    names = sorted(api)
    return names, getattr_, lambda: names
