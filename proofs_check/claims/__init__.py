"""Claims, one module per paper. Each module defines ``PAPER`` (a :class:`~proofs_check.papers.Paper`),
``CLAIMS`` (a list of :class:`~proofs_check.claim.Claim` subclasses) and ``DERIVATIONS`` (topic name ->
callable returning a :class:`theory.common.derivation.Derivation`). They are found by :mod:`proofs_check.registry`.
"""
