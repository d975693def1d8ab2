"""A user module whose experiment raises."""
from proofs_check.simple import mutant, rate_claim, theory


def experiment(n, rng):
    raise FloatingPointError("the solver diverged at this width")


Raising = rate_claim("user.raising", title="t", reference="r", statement="An experiment that raises.",
                     experiment=experiment, measure=lambda m, t: 1.0, theory=theory(-0.5),
                     mutants=[mutant("m", -1.0)], quick=([64, 128, 256], 4))
CLAIMS = [Raising]
