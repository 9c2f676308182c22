"""An external run: your code trains, grokscope stores, measures and streams."""

from __future__ import annotations

import base64
import math
import time
import warnings
from typing import Any, Dict, List, Mapping, Optional

from . import _safetensors
from ._transport import Transport

_RUN_FIELDS = "id name status stepsDone"
_CREATE = f"""mutation($input: CreateExternalRunInput!) {{ createExternalRun(input: $input) {{ {_RUN_FIELDS} }} }}"""
_LOG_STEPS = """mutation($runId: ID!, $steps: [StepInput!]!) {
  logSteps(runId: $runId, steps: $steps) { written unchanged }
}"""
_LOG_WEIGHTS = """mutation($runId: ID!, $step: Int!, $weights: WeightsInput!, $scalars: [ScalarInput!]) {
  logWeights(runId: $runId, step: $step, weights: $weights, scalars: $scalars) { step scalars { name value } vectors }
}"""
_FINISH = f"""mutation($runId: ID!, $status: RunStatus!) {{
  finishExternalRun(runId: $runId, status: $status) {{ {_RUN_FIELDS} }}
}}"""

#: The server takes at most this many steps a logSteps call.
MAX_STEPS_PER_CALL = 1000


class Run:
    """A run on a grokscope server that your code trains. Create it with :func:`grokscope.init`.

    ``log`` buffers; the buffer is sent when it holds ``batch_steps`` steps or ``flush_seconds`` have passed
    (checked on each call: no background thread), always keeping the newest step, which may still get values.
    ``log_weights`` copies the weights at once (training may change them) and sends them, with the step's logged
    scalars, in order with the steps. ``finish`` sends everything and ends the run.
    """

    def __init__(self, transport: Transport, row: Mapping[str, Any], batch_steps: int, flush_seconds: float):
        self._transport = transport
        self.id: str = row["id"]
        self.name: str = row["name"]
        self.status: str = row["status"]
        self._batch_steps = max(1, min(batch_steps, MAX_STEPS_PER_CALL))
        self._flush_seconds = flush_seconds
        self._scalars: Dict[int, Dict[str, float]] = {}
        self._weights: Dict[int, str] = {}
        self._last_flush = time.monotonic()
        #: The measures the server computed at each step it got weights for: {step: {measure id: value}}.
        self.measures: Dict[int, Dict[str, Optional[float]]] = {}

    # -- logging ---------------------------------------------------------------------------------------------
    def log(self, step: int, **scalars: float) -> None:
        """Logs scalars of ``step`` (``train_loss``, ``train_acc``, ``test_loss``, ``test_acc`` or names of your own).

        A non-finite value (a diverged loss) cannot travel as GraphQL Float: it is dropped with a warning."""
        step = _step(step)
        values = self._scalars.setdefault(step, {})
        for name, value in scalars.items():
            value = float(value)
            if not math.isfinite(value):
                warnings.warn(f"grokscope: {name} at step {step} is {value}; not logged (only finite values are)")
                continue
            values[name] = value
        self._maybe_flush()

    def log_weights(self, step: int, weights: Any) -> None:
        """Logs the model's parameters at ``step``; the server computes every grokscope measure due at that step.

        ``weights``: a PyTorch ``state_dict()`` (or the ``nn.Module``), or a dict of numpy arrays / nested lists,
        named and shaped like grokscope's model for the run's config, or (an MLP) like PyTorch's ``embed`` /
        ``hidden`` / ``out`` layers (docs/api.md)."""
        step = _step(step)
        if hasattr(weights, "state_dict") and callable(weights.state_dict):
            weights = weights.state_dict()
        encoded = _safetensors.encode(weights)
        self._weights[step] = base64.b64encode(encoded).decode("ascii")
        self._scalars.setdefault(step, {})
        self._maybe_flush()

    def flush(self) -> None:
        """Sends everything buffered."""
        self._flush(keep_newest=False)

    def finish(self, status: str = "COMPLETED") -> None:
        """Sends everything buffered and ends the run (``COMPLETED``, ``FAILED`` or ``STOPPED``)."""
        self.flush()
        row = self._transport.call(_FINISH, {"runId": self.id, "status": status})["finishExternalRun"]
        self.status = row["status"]

    def __enter__(self) -> "Run":
        return self

    def __exit__(self, kind: Any, error: Any, traceback: Any) -> None:
        if self.status == "RUNNING":
            self.finish("COMPLETED" if error is None else ("STOPPED" if kind is KeyboardInterrupt else "FAILED"))

    # -- sending ---------------------------------------------------------------------------------------------
    def _maybe_flush(self) -> None:
        due = len(self._scalars) > self._batch_steps or time.monotonic() - self._last_flush >= self._flush_seconds
        if due and len(self._scalars) > 1:
            self._flush(keep_newest=True)

    def _flush(self, keep_newest: bool) -> None:
        steps = sorted(self._scalars)
        if keep_newest:
            steps = steps[:-1]
        batch: List[int] = []
        for step in steps:
            if step in self._weights:
                self._send_steps(batch)
                batch = []
                self._send_weights(step)
            else:
                batch.append(step)
                if len(batch) >= MAX_STEPS_PER_CALL:
                    self._send_steps(batch)
                    batch = []
        self._send_steps(batch)
        self._last_flush = time.monotonic()

    def _send_steps(self, steps: List[int]) -> None:
        payload = [
            {"step": s, "scalars": [{"name": n, "value": v} for n, v in self._scalars[s].items()]}
            for s in steps
            if self._scalars[s]
        ]
        if payload:
            self._transport.call(_LOG_STEPS, {"runId": self.id, "steps": payload})
        for s in steps:
            del self._scalars[s]

    def _send_weights(self, step: int) -> None:
        scalars = [{"name": n, "value": v} for n, v in self._scalars[step].items()]
        variables = {
            "runId": self.id,
            "step": step,
            "weights": {"safetensors": self._weights[step]},
            "scalars": scalars,
        }
        result = self._transport.call(_LOG_WEIGHTS, variables)["logWeights"]
        self.measures[step] = {s["name"]: s["value"] for s in result["scalars"]}
        del self._weights[step]
        del self._scalars[step]


def _step(step: Any) -> int:
    if isinstance(step, bool) or int(step) != step or step < 0:
        raise ValueError(f"grokscope: step must be an integer ≥ 0, got {step!r}")
    return int(step)
