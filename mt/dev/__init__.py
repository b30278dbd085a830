"""Development helpers for tests and benchmarks, not a pipeline stage.

:mod:`.models` builds the random-weight MarianMT models the tests and
benchmarks translate with (no trained weights can be downloaded here);
:mod:`.evaluation` scores a stage against gold data (segment boundaries,
sentence alignments).  Import the submodule you need; only
``build_demo_model`` (:mod:`.demo`, ``mt model demo``) is imported here, and it
loads torch only when called, so ``import mt.dev.evaluation`` needs no torch.
"""

from .demo import build_demo_model

__all__ = ["build_demo_model"]
