"""Ridgelet spectrum (Sonoda–Ishikawa–Ikeda): transforms in closed form, admissibility, 30-digit references, the RERM limit.

The public API is listed in ``__all__``; names are imported from their module on first use (no
import cycles between the modules of the package)."""

from __future__ import annotations

from theory import lazy_api

_API = {
    "Activation": "activations",
    "NonIntegrableError": "transform",
    "NotAdmissibleError": "rerm",
    "RERMLimit": "rerm",
    "activation": "activations",
    "adjoint_ridgelet_function": "rerm",
    "admissibility_closed_form": "transform",
    "admissibility_constant": "transform",
    "admissibility_from_spectra": "transform",
    "admissibility_mp": "mp",
    "admissible_orders": "transform",
    "autocorrelation": "rerm",
    "box_kernel": "rerm",
    "box_kernel_numpy": "rerm",
    "box_limit_spectrum_mp": "mp",
    "box_limit_spectrum_numpy": "rerm",
    "box_multiplier": "rerm",
    "box_multiplier_mp": "mp",
    "box_multiplier_numpy": "rerm",
    "derive_ridgelet": "derivation",
    "fourier_mp": "mp",
    "fourier_transform": "transform",
    "gaussian_derivative": "activations",
    "gaussian_derivative_activation": "activations",
    "gaussian_derivative_fourier_mp": "mp",
    "gaussian_derivative_fourier_numpy": "rerm",
    "gaussian_derivative_mp": "mp",
    "gaussian_integral": "transform",
    "gaussian_ridgelet_numpy": "transform",
    "hermite_e": "transform",
    "is_gaussian_type": "transform",
    "pairing_frequency_mp": "mp",
    "pairing_space_mp": "mp",
    "parameter_symbols": "transform",
    "rerm_constant": "rerm",
    "rerm_limit": "rerm",
    "rerm_spectrum": "rerm",
    "ridgelet_fourier": "transform",
    "ridgelet_gaussian_radon_mp": "mp",
    "ridgelet_transform": "transform",
    "ridgelet_transform_mp": "mp",
    "self_admissibility_numpy": "rerm",
    "sigma_fourier": "transform",
    "tanh_admissibility_closed_form": "transform",
    "tanh_ridgelet": "activations",
    "truncated_reconstruction_multiplier": "transform",
    "unbounded_spectrum_gaussian_numpy": "rerm",
}
__all__, __getattr__, __dir__ = lazy_api(__name__, _API)
