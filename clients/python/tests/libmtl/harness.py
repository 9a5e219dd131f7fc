"""Drives LibMTL's own weighting classes on given task losses and gradient rows.

LibMTL's weighting files of commit ``LIBMTL_COMMIT`` are vendored under ``vendor/`` (MIT license, the
files unchanged); ``LIBMTL_SOURCE`` names another checkout, else an installed ``LibMTL``, else the vendored
copy is used. Only ``LibMTL/weighting/abstract_weighting.py`` and the method's file are loaded
(LibMTL's package ``__init__`` imports its whole trainer). The stand-in model is one float64 shared
parameter ``theta`` at 0 with ``L_t = c_t + g_t . theta``: LibMTL's parameter-gradient mode then sees the
golden rows as its ``grads``, its combined gradient lands in ``theta.grad`` and loss weights in ``c.grad``.
"""
from __future__ import annotations

import contextlib
import importlib.util
import os
import sys
import types
from pathlib import Path
from typing import Optional

import torch

LIBMTL_COMMIT = "4336804847eaa5e0b924b743d76beec7ac3fdc97"


def source() -> Optional[Path]:
    """The folder holding ``LibMTL/weighting``, or None."""
    configured = os.environ.get("LIBMTL_SOURCE")
    if configured:
        return Path(configured)
    loaded = sys.modules.get("LibMTL")
    if loaded is not None and getattr(loaded, "__spec__", None) is None:  # the stand-in package load() made
        return Path(loaded.__path__[0]).parent
    spec = importlib.util.find_spec("LibMTL")
    if spec and spec.origin:
        return Path(spec.origin).parent.parent
    vendored = Path(__file__).parent / "vendor"
    return vendored if (vendored / "LibMTL" / "weighting").is_dir() else None


def load(name: str):
    """LibMTL's weighting class ``name`` (e.g. ``"PCGrad"``); raises ImportError with the reason."""
    root = source()
    if root is None or not (root / "LibMTL" / "weighting" / f"{name}.py").exists():
        raise ImportError("no LibMTL: set LIBMTL_SOURCE to a checkout of median-research-group/LibMTL "
                          f"at {LIBMTL_COMMIT[:7]}")
    for package in ("LibMTL", "LibMTL.weighting"):
        if package not in sys.modules:
            module = types.ModuleType(package)
            module.__path__ = [str(root / package.replace(".", "/"))]
            sys.modules[package] = module
    for module_name in ("abstract_weighting", name):
        full = f"LibMTL.weighting.{module_name}"
        if full not in sys.modules:
            spec = importlib.util.spec_from_file_location(full, root / "LibMTL" / "weighting" / f"{module_name}.py")
            module = importlib.util.module_from_spec(spec)
            spec.loader.exec_module(module)
            sys.modules[full] = module
    return getattr(sys.modules[f"LibMTL.weighting.{name}"], name)


@contextlib.contextmanager
def float64():
    """LibMTL allocates with the default dtype: float64 for the comparison, but ``torch.finfo()`` stays
    float32's, as in LibMTL's ordinary runs (Aligned-MTL's rank tolerance)."""
    finfo = torch.finfo
    previous = torch.get_default_dtype()
    torch.set_default_dtype(torch.float64)
    torch.finfo = lambda dtype=None: finfo(torch.float32 if dtype is None else dtype)
    try:
        yield
    finally:
        torch.finfo = finfo
        torch.set_default_dtype(previous)


def instance(name: str, tasks: int, dim: int):
    """A LibMTL weighting ``name`` wired to the stand-in model."""
    base = load(name)

    class Harnessed(base):
        def __init__(self) -> None:
            super().__init__()
            self.task_num = tasks
            self.task_name = [f"task{t}" for t in range(tasks)]
            self.device = torch.device("cpu")
            self.rep_grad = False
            self.epoch = 0
            self.theta = torch.nn.Parameter(torch.zeros(dim, dtype=torch.float64))
            with float64():
                self.init_param()

        def get_share_params(self):
            return [self.theta]

        def zero_grad_share_params(self):
            self.theta.grad = torch.zeros_like(self.theta)

    return Harnessed()


def step(weighting, losses, gradients, **kwargs):
    """One ``backward`` of LibMTL on these losses and rows: (what it returns, theta.grad, c.grad)."""
    c = torch.tensor(losses, dtype=torch.float64, requires_grad=True)
    g = torch.tensor(gradients, dtype=torch.float64)
    weighting.theta.grad = None
    with float64():
        returned = weighting.backward(c + g @ weighting.theta, **kwargs)
    return returned, weighting.theta.grad, c.grad
