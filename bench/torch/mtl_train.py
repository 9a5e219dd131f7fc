#!/usr/bin/python3
"""The PyTorch side of TrainingThroughputBench: trains the model Chorus trains, on the same rows.

Hard parameter sharing as Chorus's HardNet: `depth` shared Linear+ReLU layers of `width` units, one
Linear(width, 1) head per binary task, sigmoid cross-entropy per task summed with equal weights, Adam
at `lr`, Xavier-uniform weights and zero biases, features standardized with the training rows'
statistics, mini-batches shuffled every epoch, and after every epoch a forward pass over the
validation rows with each task's ROC AUC. One intra-op and one inter-op thread, as Chorus's workers.

Reads the data the Java side wrote (`--data`: little-endian float32 rows of features then labels;
`--train`, `--validation`: little-endian int32 row indices) and prints one JSON object: samples per
second of each timed run, and the process's peak resident set.
"""
import argparse
import json
import time

import numpy as np
import torch

torch.set_num_threads(1)
torch.set_num_interop_threads(1)


class HardNet(torch.nn.Module):
    def __init__(self, features: int, tasks: int, width: int, depth: int):
        super().__init__()
        layers, inputs = [], features
        for _ in range(depth):
            layers += [torch.nn.Linear(inputs, width), torch.nn.ReLU()]
            inputs = width
        self.trunk = torch.nn.Sequential(*layers)
        self.heads = torch.nn.ModuleList(torch.nn.Linear(width, 1) for _ in range(tasks))
        for module in self.modules():
            if isinstance(module, torch.nn.Linear):
                torch.nn.init.xavier_uniform_(module.weight)
                torch.nn.init.zeros_(module.bias)

    def forward(self, x):
        z = self.trunk(x)
        return [head(z).squeeze(1) for head in self.heads]


def auc(scores: np.ndarray, labels: np.ndarray) -> float:
    """ROC AUC by ranks (ties share their mean rank), as Chorus's Metrics computes it."""
    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    i = 0
    while i < len(scores):
        j = i
        while j + 1 < len(scores) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i:j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = labels > 0.5
    p, n = positives.sum(), len(labels) - positives.sum()
    return float((ranks[positives].sum() - p * (p + 1) / 2) / (p * n)) if p and n else float("nan")


def train_once(x, y, train, validation, args, seed):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    net = HardNet(x.shape[1], y.shape[1], args.width, args.depth)
    optimizer = torch.optim.Adam(net.parameters(), lr=args.lr)
    loss_fn = torch.nn.BCEWithLogitsLoss()
    xt, yt = torch.from_numpy(x), torch.from_numpy(y)
    xv = xt[torch.from_numpy(validation)]
    start = time.perf_counter()
    for _ in range(args.epochs):
        net.train()
        order = rng.permutation(train)
        for b in range(0, len(order), args.batch):
            rows = torch.from_numpy(order[b:b + args.batch])
            xb, yb = xt[rows], yt[rows]
            outputs = net(xb)
            loss = sum(loss_fn(out, yb[:, t]) for t, out in enumerate(outputs))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        net.eval()
        with torch.no_grad():
            scores = [torch.sigmoid(out).numpy() for out in net(xv)]
        [auc(s, y[validation, t]) for t, s in enumerate(scores)]
    return len(train) * args.epochs / (time.perf_counter() - start)


def peak_rss_kib() -> int:
    """VmHWM of this process. Not getrusage's ru_maxrss: that survives exec, so a process started by a
    big parent (the test JVM) would report the parent's peak."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return -1


def main():
    parser = argparse.ArgumentParser()
    for name in ("--data", "--train", "--validation"):
        parser.add_argument(name, required=True)
    for name in ("--features", "--tasks", "--width", "--depth", "--batch", "--epochs", "--runs"):
        parser.add_argument(name, type=int, required=True)
    parser.add_argument("--lr", type=float, required=True)
    args = parser.parse_args()
    table = np.fromfile(args.data, dtype="<f4").reshape(-1, args.features + args.tasks)
    x, y = table[:, :args.features].copy(), table[:, args.features:].copy()
    train = np.fromfile(args.train, dtype="<i4").astype(np.int64)
    validation = np.fromfile(args.validation, dtype="<i4").astype(np.int64)
    mean, std = x[train].mean(axis=0), x[train].std(axis=0)
    x = ((x - mean) / np.where(std > 0, std, 1)).astype(np.float32)
    train_once(x, y, train, validation, args, 0)  # warm-up, not timed
    rates = [train_once(x, y, train, validation, args, seed) for seed in range(1, args.runs + 1)]
    print(json.dumps({"samplesPerSecond": rates, "peakRssKib": peak_rss_kib(),
                      "torch": torch.__version__}))


if __name__ == "__main__":
    main()
