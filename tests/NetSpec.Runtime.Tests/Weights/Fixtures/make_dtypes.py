"""Writes dtypes.safetensors and dtypes-reference.json for tests/NetSpec.Runtime.Tests/Weights/DTypeFixtureTests.cs.

One tensor per dtype the runtime reads (F32, F16, BF16, F64, I64), each of shape [2, 3], with values converted by
numpy (round to nearest even), and per tensor the float32 values numpy gives for it (what a loader must produce).
BF16 is float32's top 16 bits, rounded to nearest even here (numpy has no bfloat16). The file is laid out by hand
(8-byte LE header length, JSON header, data), as the safetensors package writes it.
Run with Debian's numpy (python3-numpy):  /usr/bin/python3 make_dtypes.py   (seeded: reruns write the same bytes)
"""
import json
import struct

import numpy as np

rng = np.random.default_rng(13)
base = (rng.standard_normal(6) * 100).astype(np.float64)
base[0] = 65504.0           # F16's largest finite value
base[1] = -1.0 / 3.0        # needs rounding in every narrower type

bits = base.astype(np.float32).view(np.uint32).astype(np.uint64)
bf16 = ((bits + 0x7FFF + ((bits >> 16) & 1)) >> 16).astype(np.uint16)
ints = np.array([0, -1, 123456789012, 2**53 + 1, -(2**40) - 7, 2**62], dtype=np.int64)

tensors = {
    "f32": (base.astype(np.float32), "F32", base.astype(np.float32)),
    "f16": (base.astype(np.float16), "F16", base.astype(np.float16).astype(np.float32)),
    "bf16": (bf16, "BF16", (bf16.astype(np.uint32) << 16).view(np.float32)),
    "f64": (base, "F64", base.astype(np.float32)),
    "i64": (ints, "I64", ints.astype(np.float32)),
}

header, blobs, offset = {"__metadata__": {"spec": "dtype-fixture", "format": "pt"}}, [], 0
for name, (array, dtype, _) in tensors.items():
    data = array.astype(array.dtype.newbyteorder("<")).tobytes()
    header[name] = {"dtype": dtype, "shape": [2, 3], "data_offsets": [offset, offset + len(data)]}
    blobs.append(data)
    offset += len(data)
text = json.dumps(header, separators=(",", ":")).encode()
text += b" " * (-len(text) % 8)
with open("dtypes.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

# float32 values as float64 literals (exact), so the test compares bit for bit.
reference = {name: [float(v) for v in expected] for name, (_, _, expected) in tensors.items()}
with open("dtypes-reference.json", "w") as f:
    json.dump(reference, f, indent=1)
    f.write("\n")
