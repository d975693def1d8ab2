"""Exact objects: SymPy derivations, mpmath references, rational arithmetic (no numba)."""


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
