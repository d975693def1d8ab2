"""Minimum-norm interpolation (Park–Pelakh–Wojtowytsch): representational cost, the certified LP, function-space ERM.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "CurvatureMeasure": "cost",
    "ERMResult": "erm",
    "HaninSet": "lp",
    "InterpolationData": "lp",
    "KnownRegion": "lp",
    "LinearResponse": "erm",
    "MinNormSet": "lp",
    "MinNormSolution": "lp",
    "Node": "lp",
    "Piecewise1D": "cost",
    "RampGap": "cost",
    "ScheduleCheck": "cost",
    "SmallERM": "erm",
    "as_piecewise": "cost",
    "atom_masses": "cost",
    "check_bias": "cost",
    "check_schedule": "cost",
    "closed_form_value": "lp",
    "count_kinks": "lp",
    "curvature_measure": "cost",
    "derive_representational_cost": "cost",
    "hanin_envelopes": "lp",
    "interpolation_data": "lp",
    "kink_weight": "cost",
    "kink_weight_float": "cost",
    "lambda_schedule": "cost",
    "linear_response": "erm",
    "matching_min_path_norm": "lp",
    "min_norm_interpolant": "lp",
    "min_norm_interpolants": "lp",
    "neuron_cost": "cost",
    "ramp_gap": "cost",
    "realising_min_path_norm": "lp",
    "regularized_erm": "erm",
    "representational_cost": "cost",
    "savarese_cost": "cost",
    "schedule_lower_rate": "cost",
    "small_erm": "erm",
    "sparsest_interpolant": "lp",
    "FiniteNetwork": "cost_md",
    "derive_cost_d2": "cost_md",
    "MergedNetwork": "cost_md",
    "hyperplane_key": "cost_md",
    "merge": "cost_md",
    "network_cost": "cost_md",
    "network_cost_float": "cost_md",
    "line_data_min_norm": "cost_md",
    "ridge_ramp_min_norm": "cost_md",
    "random_network": "cost_md",
    "random_splitting": "cost_md",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
