"""Local PL inequality for ResNets (Barboni–Peyré–Vialard): the model, its constants and the PL pair.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "bochner_mean": "kernel",
    "derive_kernel_pl": "kernel",
    "entry_covariance": "kernel",
    "evaluate_constants": "constants",
    "evaluate_kernel_pl": "kernel",
    "gram_extremes": "kernel",
    "kernel_constants": "kernel",
    "kernel_gram_mp": "kernel",
    "kernel_kappas": "kernel",
    "rff_limit_kappas": "kernel",
    "DrawConstants": "constants",
    "FeatureConstants": "model",
    "Lambda_tilde": "constants",
    "M_draw": "constants",
    "M_paper": "constants",
    "PLEvaluation": "constants",
    "ball_condition": "constants",
    "degeneracy_radius": "constants",
    "derive_pl_constant": "constants",
    "draw_constants": "constants",
    "check_feature_constants": "constants",
    "evaluate_pl": "constants",
    "feature_constants": "model",
    "feature_matrix": "model",
    "gaussian_kernel": "model",
    "gd_contraction": "constants",
    "gershgorin_lambda": "model",
    "global_order": "model",
    "gradient_flow_bound": "constants",
    "initial_loss_condition": "constants",
    "kappa": "model",
    "kappa0": "model",
    "kappa1": "model",
    "feature_sup_norm": "model",
    "lambda_tilde": "constants",
    "local_error_order": "model",
    "m_draw": "constants",
    "m_paper": "constants",
    "one_step": "model",
    "rahimi_recht_tail": "constants",
    "rff_count": "constants",
    "rff_count_value": "constants",
    "rff_feature": "model",
    "sigma_p": "model",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
