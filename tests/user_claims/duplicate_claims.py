"""A user module that repeats a built-in claim id."""
from proofs_check.simple import mutant, rate_claim, theory

Dup = rate_claim("spline.rate", title="t", reference="r", statement="A repeated id.",
                 experiment=lambda n, rng: 1.0, measure=lambda m, t: 1.0, theory=theory(-0.5),
                 mutants=[mutant("m", -1.0)], quick=([64, 128, 256], 4))
CLAIMS = [Dup]
