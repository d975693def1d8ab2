"""Toy claims whose truth is known, for the engine and CLI tests."""

from proofs_check.claim import Claim, Kind, Ladder, Prediction
from proofs_check.crn import prefix_draw


class MonteCarloMean(Claim):
    """The sample mean of n uniform draws converges to 1/2 at the Monte-Carlo rate n^{-1/2}."""

    id = "toy.mc_mean"
    paper = "toy"
    reference = "law of large numbers"
    title = "sample mean -> 1/2"
    kind = Kind.RATE
    ladders = {"quick": Ladder("n", tuple(2.0**k for k in range(6, 15)), seeds=32),
               "full": Ladder("n", tuple(2.0**k for k in range(6, 18)), seeds=32)}
    rate_tolerance = 0.0

    def predictions(self, ctx):
        return [Prediction("theory", "mean 1/2, rate -1/2", -0.5, target=0.5),
                Prediction("wrong-limit", "mean 0.51", -0.5, mutant=True, target=0.51),
                Prediction("wrong-rate", "rate -1", -1.0, mutant=True, target=0.5)]

    def experiment(self, ctx, level, seed):
        return prefix_draw(seed, int(level), lambda rng, m: rng.random(m)).mean()

    def measure(self, ctx, obs, prediction):
        return abs(obs - prediction.target)


class NoMutant(MonteCarloMean):
    """A claim without a mutant cannot fail: it must be rejected as a definition error."""

    id = "toy.no_mutant"

    def predictions(self, ctx):
        return [Prediction("theory", "mean 1/2", -0.5, target=0.5)]


class WeakMutant(MonteCarloMean):
    """A mutant too close to the truth survives: the claim is UNFALSIFIABLE, never CONFIRMED."""

    id = "toy.weak_mutant"

    def predictions(self, ctx):
        return [Prediction("theory", "rate -1/2", -0.5, target=0.5),
                Prediction("near-rate", "rate -0.49", -0.49, mutant=True, target=0.5)]


class Broken(MonteCarloMean):
    """An experiment that raises is reported as ERROR with its traceback."""

    id = "toy.broken"

    def experiment(self, ctx, level, seed):
        raise RuntimeError("boom")


class ExploredMean(MonteCarloMean):
    """The sample mean of n draws from U(0, 2p) converges to p at n^{-1/2}, for every p in (0, 1)."""

    id = "toy.explored_mean"
    ladders = {"quick": Ladder("n", tuple(2.0**k for k in range(8, 17)), seeds=24),
               "full": Ladder("n", tuple(2.0**k for k in range(8, 18)), seeds=32)}

    @classmethod
    def settings(cls):
        from hypothesis import strategies as st

        return st.fixed_dictionaries({"p": st.floats(0.2, 0.8).map(lambda v: round(v, 3))})

    @classmethod
    def default_setting(cls):
        return {"p": 0.5}

    def check_setting(self, setting):
        p = setting.get("p")
        if not isinstance(p, (int, float)) or not 0.0 < p < 1.0:
            raise ValueError(f"setting p: expected a probability in (0, 1), got {p!r}")

    def limit(self, p):
        return p

    def predictions(self, ctx):
        p = self.setting["p"]
        return [Prediction("theory", "mean p, rate -1/2", -0.5, target=self.limit(p)),
                Prediction("wrong-limit", "mean p + 0.05", -0.5, mutant=True, target=self.limit(p) + 0.05)]

    def experiment(self, ctx, level, seed):
        p = self.setting["p"]
        return (2.0 * p * prefix_draw(seed, int(level), lambda rng, m: rng.random(m))).mean()


class PlantedMean(ExploredMean):
    """A theory right for p ≤ 0.7 and wrong above: the limit is taken as min(p, 0.7)."""

    id = "toy.planted_mean"

    def limit(self, p):
        return min(p, 0.7)
