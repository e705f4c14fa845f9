"""The command line of every stage that reads a trained checkpoint and a feature store: `CHECKPOINT STORE OUT`."""
import argparse
import json

import torch

from . import data
from .model import load


def checkpoint_and_store(doc):
    """Parses the arguments and returns them, the model in eval mode, and (index, features, labels) of the store."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("store")
    parser.add_argument("out")
    args = parser.parse_args()
    torch.set_num_threads(2)
    model, _ = load(args.checkpoint)
    return args, model, data.FeatureStore(args.store).load()


def report(result, out):
    """Writes a stage's summary where run.sh expects it, and shows it."""
    with open(out, "w") as f:
        json.dump(result, f, indent=1)
    print(json.dumps(result))
