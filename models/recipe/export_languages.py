"""Export the multilingual model to ONNX, check it in onnxruntime-node, and write its manifest.

    python3 -m models.recipe.export_languages CHECKPOINT --onnx models/multi-ipa-tdnn.onnx \
        --manifest models/multi-ipa-manifest.json --train models/work/multi/train \
        --heldout models/work/multi/heldout --run multi-ipa

The manifest has the shape of models/manifest.json (the engine's loadModel reads it as it is) plus what the
API needs to use the model: its languages and varieties, and the rules that fold espeak-ng's IPA onto the
inventory (languages.RULES). Held-out figures come from models/runs/RUN/{heldout,seen_voices}_check.json.
"""
import argparse
import json
import sys
from pathlib import Path

from . import languages
from .export import MODELS, describe, export_checked, store_summary


def held_out_figures(by_language):
    """Per language, the figures of check_languages.py that the README reports."""
    keys = ("utterances", "frame_acc", "frame_acc_nonsil", "per", "phone_starts_within_20ms",
            "phone_starts_within_50ms", "align_failed")
    return {language: {k: figures[k] for k in keys if k in figures} for language, figures in by_language.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("checkpoint")
    parser.add_argument("--onnx", required=True)
    parser.add_argument("--manifest", required=True)
    parser.add_argument("--train", required=True, help="the synthetic training store")
    parser.add_argument("--heldout", required=True, help="the held-out voices' store")
    parser.add_argument("--run", required=True, help="the training run (models/runs/RUN)")
    parser.add_argument("--command", default="models/recipe/run-languages.sh")
    args = parser.parse_args()
    onnx_path = Path(args.onnx)
    model, state, max_diff = export_checked(args.checkpoint, onnx_path, args.heldout)
    run = MODELS / "runs" / args.run
    metrics = json.loads((run / "metrics.json").read_text())
    heldout = json.loads((run / "heldout_check.json").read_text())
    seen = json.loads((run / "seen_voices_check.json").read_text())
    manifest = {
        **describe(onnx_path, model, state, languages.INVENTORY, max_diff),
        "languages": {language: {"varieties": list(varieties)}
                      for language, varieties in sorted(languages.LANGUAGES.items())},
        "ipa_rules": {**languages.RULES, "ignored_events": "pauses are SIL; other events without IPA are not phones"},
        "training_data": {
            "synthetic": {**store_summary(args.train), "variants": list(languages.TRAIN_VARIANTS)},
            "held_out_voices": {**store_summary(args.heldout), "variants": list(languages.HELD_OUT_VARIANTS)},
            "real": "none: no speech in these languages on this machine",
        },
        "validation": [{"run": args.run, "args": metrics["args"], "epochs": metrics["history"]}],
        "held_out": {"voices_never_trained_on": held_out_figures(heldout["languages"]),
                     "voices_never_trained_on_own_phones_only": held_out_figures(heldout["own_phones_only"]),
                     "training_voices_unseen_texts": held_out_figures(seen["languages"])},
        "recipe_command": args.command,
    }
    Path(args.manifest).write_text(json.dumps(manifest, indent=1, ensure_ascii=False) + "\n")
    print(f"wrote {onnx_path} ({manifest['bytes']} bytes) and {args.manifest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
