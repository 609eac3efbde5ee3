"""Minimal safetensors reader/writer (no `safetensors` package needed).

Format: 8-byte little-endian u64 N, then N bytes of JSON header
{name: {"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}, "__metadata__": {...}},
then the raw little-endian, C-order bytes; offsets are relative to the end of the header.
"""

import json
import struct

import numpy as np
import torch

_DT = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32, "U8": np.uint8}
_NAME = {np.dtype(v).str.lstrip("<|="): k for k, v in _DT.items()}


def save(path, tensors, metadata=None):
    """tensors: {name: torch.Tensor or np.ndarray}; written in the given order."""
    header, blobs, off = {}, [], 0
    for name, t in tensors.items():
        a = t.detach().cpu().numpy() if isinstance(t, torch.Tensor) else np.asarray(t)
        a = np.array(a, order="C", copy=True).astype(a.dtype.newbyteorder("<"), copy=False)
        dt = _NAME.get(a.dtype.str.lstrip("<|="))
        if dt is None:
            raise ValueError(f"{name}: dtype {a.dtype} not supported")
        b = a.tobytes()
        header[name] = {"dtype": dt, "shape": list(a.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    if metadata:
        header["__metadata__"] = {k: str(v) for k, v in metadata.items()}
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * (-len(h) % 8)  # pad so that the data starts 8-aligned
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)


def load(path):
    """Returns ({name: torch.Tensor}, metadata)."""
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    meta = header.pop("__metadata__", {})
    base = 8 + n
    out = {}
    for name, e in header.items():
        b, end = e["data_offsets"]
        a = np.frombuffer(raw, dtype=np.dtype(_DT[e["dtype"]]).newbyteorder("<"), count=(end - b) // np.dtype(_DT[e["dtype"]]).itemsize,
                          offset=base + b).reshape(e["shape"])
        out[name] = torch.from_numpy(a.astype(a.dtype.newbyteorder("="), copy=True))
    return out, meta
