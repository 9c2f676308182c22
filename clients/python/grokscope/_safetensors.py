"""safetensors writer (https://github.com/huggingface/safetensors), standard library only.

Layout: an 8-byte little-endian header length N, N bytes of JSON
``{name: {"dtype", "shape", "data_offsets": [begin, end]}}`` (padded with spaces to a multiple of 8), then the raw
little-endian tensor bytes. Every tensor is written as F32, the precision grokscope computes its measures in.
"""

from __future__ import annotations

import json
import struct
from typing import Any, Dict, List, Mapping, Tuple


def _flatten(value: Any) -> Tuple[List[int], List[float]]:
    """Nested lists (or a number) -> shape and row-major values."""
    if isinstance(value, (int, float)):
        return [], [float(value)]
    if not isinstance(value, (list, tuple)):
        raise TypeError(f"cannot read a tensor from {type(value).__name__}")
    if len(value) == 0:
        return [0], []
    parts = [_flatten(v) for v in value]
    shape = parts[0][0]
    if any(p[0] != shape for p in parts):
        raise ValueError("ragged nested list: every row must have the same shape")
    return [len(value)] + shape, [x for p in parts for x in p[1]]


def tensor_f32(value: Any) -> Tuple[List[int], bytes]:
    """A torch tensor, numpy array or nested list -> (shape, float32 little-endian bytes)."""
    if hasattr(value, "detach"):  # torch.Tensor: copied off the device, so later training does not change it
        value = value.detach().to("cpu").float().contiguous()
        try:
            value = value.numpy()
        except (RuntimeError, ImportError):  # torch without numpy
            shape = list(value.shape)
            flat = value.reshape(-1).tolist()
            return shape, struct.pack(f"<{len(flat)}f", *flat)
    if hasattr(value, "astype") and hasattr(value, "tobytes") and hasattr(value, "shape"):  # numpy.ndarray
        array = value.astype("<f4")
        return [int(d) for d in array.shape], array.tobytes(order="C")
    shape, flat = _flatten(value)
    return shape, struct.pack(f"<{len(flat)}f", *flat)


def encode(tensors: Mapping[str, Any]) -> bytes:
    """Tensors by name -> one safetensors file (F32)."""
    header: Dict[str, Any] = {}
    chunks: List[bytes] = []
    offset = 0
    for name, value in tensors.items():
        shape, data = tensor_f32(value)
        header[str(name)] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    head = json.dumps(header, separators=(",", ":")).encode("utf-8")
    head += b" " * ((8 - len(head) % 8) % 8)
    return struct.pack("<Q", len(head)) + head + b"".join(chunks)
