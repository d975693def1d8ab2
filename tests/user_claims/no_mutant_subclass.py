"""A user module with a Claim subclass that predicts no mutant."""
from proofs_check.claim import Claim, Kind, Ladder, Prediction


class NoMutant(Claim):
    """The mean of n uniforms → 1/2."""

    id = "user.subclass_no_mutant"
    paper = "user"
    reference = "LLN"
    title = "no mutant"
    kind = Kind.RATE
    ladders = {"quick": Ladder("n", (64.0, 128.0, 256.0), 4), "full": Ladder("n", (64.0, 128.0, 256.0), 4)}

    def predictions(self, ctx):
        return [Prediction("theory", "rate -1/2", -0.5, target=0.5)]

    def experiment(self, ctx, level, seed):
        return 0.5

    def measure(self, ctx, obs, prediction):
        return 1.0


CLAIMS = [NoMutant]
