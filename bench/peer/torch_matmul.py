"""PyTorch's large-matmul throughput on the CPU, the denominator of the peer's MFU (bench/src/peer.ts).

  /usr/bin/python3 torch_matmul.py [size] [threads]

Prints one JSON line: {"size", "threads", "ms", "gflops"} (median of repetitions after a warm-up).
"""
import json, statistics, sys, time
import torch

size = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
torch.set_num_threads(threads)
a, b = torch.randn(size, size), torch.randn(size, size)
a @ b
times, spent = [], 0.0
while len(times) < 3 or (spent < 1.5 and len(times) < 20):
    t = time.perf_counter()
    a @ b
    times.append(time.perf_counter() - t)
    spent += times[-1]
ms = statistics.median(times) * 1000
print(json.dumps({"size": size, "threads": threads, "ms": round(ms, 3), "gflops": round(2 * size**3 / ms / 1e6, 2)}))
