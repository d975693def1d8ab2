"""A user module whose simple claim has no mutant: the builder refuses it at import."""
from proofs_check.simple import rate_claim, theory

NoMutant = rate_claim("user.no_mutant", title="t", reference="r", statement="A claim that cannot fail.",
                      experiment=lambda n, rng: rng.random(int(n)).mean(), measure=lambda m, t: abs(m - t),
                      theory=theory(-0.5, target=0.5), mutants=[], quick=([64, 128, 256], 4))
CLAIMS = [NoMutant]
