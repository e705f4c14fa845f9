#!/bin/bash
# Rebuilds the multilingual model (Spanish, French, German, Italian, Portuguese; models/recipe/languages.py) from
# espeak-ng speech, stage by stage. A stage whose output exists is skipped, training resumes from its last epoch
# checkpoint, and the checks and the export are redone when the checkpoint is newer than them.
#   models/recipe/run-languages.sh            (from anywhere; see models/README.md, "Other languages", for timings)
# Overrides: PER_LANGUAGE=1000 HELDOUT_PER_LANGUAGE=100 EPOCHS=5 CHANNELS=384 THREADS=2 WORKERS=2
# Needs what run.sh needs (python3-torch python3-onnx python3-numpy espeak-ng ffmpeg, Node for the export check).
set -euo pipefail
source "$(dirname "$0")/stages.sh"
W=models/work/multi
NAME=multi-ipa
RUN=models/runs/$NAME
CKPT=models/work/$NAME/checkpoint.pt
PER_LANGUAGE=${PER_LANGUAGE:-1000}
HELDOUT_PER_LANGUAGE=${HELDOUT_PER_LANGUAGE:-100}
EPOCHS=${EPOCHS:-5}
CHANNELS=${CHANNELS:-384}
THREADS=${THREADS:-2}
WORKERS=${WORKERS:-2}
MODEL=models/multi-ipa-tdnn.onnx
MANIFEST=models/multi-ipa-manifest.json

mkdir -p $W
[ -f $W/train/index.json ] || { stage "synthetic speech, training voices"
  $PY -m models.recipe.prepare languages $W/train --split train --per-language "$PER_LANGUAGE" --workers "$WORKERS"; }
[ -f $W/heldout/index.json ] || { stage "synthetic speech, held-out voices"
  $PY -m models.recipe.prepare languages $W/heldout --split heldout --per-language "$HELDOUT_PER_LANGUAGE" --workers "$WORKERS"; }
$PY -m models.recipe.languages $W/inventory.json

stage "train $NAME"
# No SpecAugment: with five epochs of synthetic speech it cost 1-3 points of frame accuracy on the training voices'
# unseen texts (models/README.md, "Other languages").
$PY -m models.recipe.train --name $NAME --synth $W/train --inventory $W/inventory.json --channels "$CHANNELS" \
  --epochs "$EPOCHS" --threads "$THREADS" --no-spec-augment

# Held-out voices, and the training voices' held-out texts (train.py's every-33rd validation utterances).
[ $RUN/heldout_check.json -nt $CKPT ] || { stage "check held-out voices"
  $PY -m models.recipe.check_languages $CKPT $W/heldout $RUN/heldout_check.json --phone-sets $W/train --threads "$THREADS"; }
[ $RUN/seen_voices_check.json -nt $CKPT ] || { stage "check training voices, unseen texts"
  $PY -m models.recipe.check_languages $CKPT $W/train $RUN/seen_voices_check.json --every 33 --threads "$THREADS"; }

[ $MANIFEST -nt $RUN/heldout_check.json ] && [ $MANIFEST -nt $RUN/seen_voices_check.json ] || { stage "export $NAME"
  $PY -m models.recipe.export_languages $CKPT --onnx $MODEL --manifest $MANIFEST --train $W/train --heldout $W/heldout \
    --run $NAME --command "PER_LANGUAGE=$PER_LANGUAGE HELDOUT_PER_LANGUAGE=$HELDOUT_PER_LANGUAGE EPOCHS=$EPOCHS CHANNELS=$CHANNELS models/recipe/run-languages.sh"; }
stage done
