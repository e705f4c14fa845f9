"""TDNN acoustic model: raw fbank [B, T, 80] -> per-frame log posteriors [B, T, phones]."""
import numpy as np
import torch
from torch import nn

# (kernel, dilation) per layer: context 2+2+3+4+5+4 = 20 frames each side, i.e. +-0.2 s.
LAYERS = ((5, 1), (3, 2), (3, 3), (3, 4), (3, 5), (3, 4))


class TDNN(nn.Module):
    def __init__(self, num_phones, mean, std, channels=384, dropout=0.1, floor=None):
        super().__init__()
        # Global mean/variance normalisation is part of the model so the engine feeds raw features.
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32).view(1, 1, -1))
        # Exact digital silence (decoders and synthesizers emit runs of zeros) reaches the features' log floor, far
        # below any microphone's noise; clamping each bin at the quietest level training speech has makes such
        # frames look like a very quiet room instead of an input the model never saw. None: no clamp (old models).
        self.register_buffer("floor", torch.as_tensor(
            np.full(len(mean), -np.inf) if floor is None else floor, dtype=torch.float32).view(1, 1, -1))
        self.register_buffer("inv_std", 1.0 / torch.as_tensor(std, dtype=torch.float32).clamp_min(1e-3).view(1, 1, -1))
        blocks, width = [], self.mean.shape[-1]
        for kernel, dilation in LAYERS:
            # 'same' padding keeps one output per input frame, so output frame t is feature frame t.
            blocks += [nn.Conv1d(width, channels, kernel, dilation=dilation, padding=dilation * (kernel - 1) // 2),
                       nn.BatchNorm1d(channels), nn.ReLU(), nn.Dropout(dropout)]
            width = channels
        self.body = nn.Sequential(*blocks)
        self.output = nn.Conv1d(channels, num_phones, 1)

    @property
    def context(self):
        return sum(d * (k - 1) // 2 for k, d in LAYERS)

    def logits(self, feats):
        x = ((torch.maximum(feats, self.floor) - self.mean) * self.inv_std).transpose(1, 2)
        return self.output(self.body(x)).transpose(1, 2)

    def forward(self, feats):
        return torch.log_softmax(self.logits(feats), dim=-1)


@torch.no_grad()
def log_posteriors(model, feats):
    """One utterance's features [T, 80] (a slice of a feature store) -> its log posteriors [T, phones], numpy."""
    return model(torch.from_numpy(np.asarray(feats, dtype=np.float32))[None])[0].numpy()


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())


def load(path):
    """Checkpoint written by train.py -> TDNN in eval mode."""
    state = torch.load(path, map_location="cpu")
    model = TDNN(state["num_phones"], state["mean"], state["std"], floor=state.get("floor"), **state["model_args"])
    # Checkpoints from before the floor have none in their weights: theirs is the -inf buffer (no clamp).
    model.load_state_dict({"floor": model.floor, **state["model"]})
    return model.eval(), state
