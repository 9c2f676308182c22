"""Train a small PyTorch MLP on a + b mod p and log it to grokscope, which computes its measures live.

    pip install ./clients/python           # or PYTHONPATH=clients/python
    pnpm start                             # a grokscope server (API on http://127.0.0.1:4000)
    python3 clients/python/examples/modular_addition_mlp.py [STEPS]

Open the run's page on the dashboard while it trains. GROKSCOPE_URL picks another server, GROKSCOPE_TOKEN a token.
"""

import os
import sys

import torch
import torch.nn.functional as F
from torch import nn

import grokscope

P, EMBED, HIDDEN = 23, 32, 64
STEPS = int(sys.argv[1]) if len(sys.argv) > 1 else 300
WEIGHTS_EVERY = 100


class MLP(nn.Module):
    """grokscope's MLP (concat, one ReLU layer), as shared/bench/peer_torch.py writes it: log_weights takes its
    state_dict as it is."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Embedding(P, EMBED)
        self.hidden = nn.Linear(2 * EMBED, HIDDEN)
        self.out = nn.Linear(HIDDEN, P)

    def forward(self, a, b):
        return self.out(F.relu(self.hidden(torch.cat([self.embed(a), self.embed(b)], dim=-1))))


def main():
    torch.manual_seed(0)
    a, b = torch.meshgrid(torch.arange(P), torch.arange(P), indexing="ij")
    a, b = a.reshape(-1), b.reshape(-1)
    labels = (a + b) % P
    order = torch.randperm(P * P)
    train, test = order[: P * P // 2], order[P * P // 2 :]

    model = MLP()
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1.0)
    config = {
        "p": P,
        "trainFraction": 0.5,
        "steps": STEPS,
        "model": {"kind": "MLP", "embedDim": EMBED, "hiddenDim": HIDDEN},
        "optimizer": {"lr": 3e-3, "weightDecay": 1.0},
    }
    url = os.environ.get("GROKSCOPE_URL", "http://127.0.0.1:4000/graphql")
    with grokscope.init(url, "pytorch-mlp", config, token=os.environ.get("GROKSCOPE_TOKEN")) as run:
        print(f"run {run.id}", flush=True)
        for step in range(STEPS + 1):
            # Step t is the model after t updates: measure it, then update (the last step only measures).
            with torch.no_grad():
                test_logits = model(a[test], b[test])
                test_loss = F.cross_entropy(test_logits, labels[test]).item()
                test_acc = (test_logits.argmax(-1) == labels[test]).float().mean().item()
            if step % WEIGHTS_EVERY == 0 or step == STEPS:
                run.log_weights(step, model.state_dict())
            logits = model(a[train], b[train])
            loss = F.cross_entropy(logits, labels[train])
            train_acc = (logits.argmax(-1) == labels[train]).float().mean().item()
            grad_norm = 0.0
            if step < STEPS:
                optimizer.zero_grad()
                loss.backward()
                grad_norm = torch.nn.utils.clip_grad_norm_(model.parameters(), float("inf")).item()
                optimizer.step()
            run.log(step, train_loss=loss.item(), train_acc=train_acc, test_loss=test_loss, test_acc=test_acc,
                    grad_norm=grad_norm)
        run.flush()
        last = run.measures[STEPS]
        print(f"step {STEPS}: test_acc {test_acc:.3f}, weight_norm {last['weight_norm']:.3f}, "
              f"{len(last)} measures computed by grokscope", flush=True)
    print(f"finished {run.status}", flush=True)


if __name__ == "__main__":
    main()
