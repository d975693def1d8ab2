"""Explorable toy claims for the command-line tests of --explore and --setting."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from toy_claims import ExploredMean, PlantedMean  # noqa: E402

CLAIMS = [ExploredMean, PlantedMean]
