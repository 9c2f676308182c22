"""grokscope client: log a run from your own training code and watch it live with grokscope's measures.

    import grokscope
    run = grokscope.init("http://127.0.0.1:4000", "my-mlp", {"p": 113, "steps": 3000, "model": {"kind": "MLP"}})
    for step in range(3001):
        ...
        run.log(step, train_loss=loss, test_acc=acc)
        if step % 100 == 0:
            run.log_weights(step, model.state_dict())
    run.finish()
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping, Optional

from ._transport import GrokscopeError, Transport
from .run import Run, _CREATE

__all__ = ["init", "Run", "GrokscopeError"]
__version__ = "0.1.0"


def init(
    url: str,
    name: Optional[str] = None,
    config: Optional[Mapping[str, Any]] = None,
    token: Optional[str] = None,
    tags: Optional[Iterable[str]] = None,
    *,
    batch_steps: int = 100,
    flush_seconds: float = 2.0,
) -> Run:
    """Creates an external run on the server at ``url`` and returns it (RUNNING).

    ``config`` is a grokscope run config (the JSON the CLI and the API take: ``p``, ``trainFraction``, ``seed``,
    ``steps``, ``model``...), describing what your code trains: it decides which weights ``log_weights`` takes and
    which measures are computed. ``token`` is an API token with write scope (team mode)."""
    transport = Transport(url, token)
    variables = {"input": {"name": name, "config": dict(config or {}), "tags": list(tags or [])}}
    row = transport.call(_CREATE, variables)["createExternalRun"]
    return Run(transport, row, batch_steps, flush_seconds)
