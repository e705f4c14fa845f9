#!/bin/bash
# Rebuilds every model file from the data, stage by stage. A stage whose output exists is skipped,
# and training resumes from its last epoch checkpoint, so re-running after an interruption continues.
#   models/recipe/run.sh            (from anywhere; ~2 CPU cores; see models/README.md for timings)
# Epoch counts can be overridden: SYNTH_EPOCHS=4 ITER_EPOCHS=3 ITERATIONS=4 SCORER_EPOCHS=12 SCORER_FOLDS=5 SCORER_MEMBERS=8 models/recipe/run.sh
# Run it through ./speakai run train:models, which puts Node 24 (the engine's scorer-feature stage) on PATH.
set -euo pipefail
source "$(dirname "$0")/stages.sh"
W=models/work
SYNTH_EPOCHS=${SYNTH_EPOCHS:-4}
ITER_EPOCHS=${ITER_EPOCHS:-3}
ITERATIONS=${ITERATIONS:-4}
SYNTH_PHRASES=${SYNTH_PHRASES:-600}
SCORER_EPOCHS=${SCORER_EPOCHS:-12}
SCORER_FOLDS=${SCORER_FOLDS:-5}
SCORER_MEMBERS=${SCORER_MEMBERS:-8}
MODEL=models/en-us-tdnn.onnx
SCORER=models/en-us-scorer.onnx

[ -f $W/synth/index.json ] || { stage "synthetic speech"; $PY -m models.recipe.prepare synth $W/synth --phrases "$SYNTH_PHRASES"; }
[ -f $W/real/index.json ] || { stage "speechocean762 train features"; $PY -m models.recipe.prepare real $W/real; }

# Bootstrap: synthetic speech only (exact labels).
stage "train synth0"
$PY -m models.recipe.train --name synth0 --synth $W/synth --real $W/real --epochs "$SYNTH_EPOCHS"
check() {  # aligner boundary accuracy on held-out synthetic speech; GOP vs experts on held-out train speakers
  [ -f models/runs/$1/align_check.json ] || $PY -m models.recipe.check_align $W/$1/checkpoint.pt $W/synth models/runs/$1/align_check.json
  [ -f models/runs/$1/gop_check.json ] || $PY -m models.recipe.check_gop $W/$1/checkpoint.pt $W/real models/runs/$1/gop_check.json
}
check synth0
prev=synth0
runs=(synth0)
for i in $(seq 1 "$ITERATIONS"); do
  [ -f $W/align$i/labels.npy ] || { stage "align $i with $prev"; $PY -m models.recipe.align $W/$prev/checkpoint.pt $W/real $W/align$i; }
  stage "train iter$i"
  $PY -m models.recipe.train --name iter$i --synth $W/synth --real $W/real --labels $W/align$i/labels.npy \
    --init $W/$prev/checkpoint.pt --epochs "$ITER_EPOCHS" --synth-fraction 0.5
  check iter$i
  prev=iter$i
  runs+=(iter$i)
done

stage "export $prev"
$PY -m models.recipe.export $W/$prev/checkpoint.pt --onnx $MODEL --synth $W/synth --real $W/real \
  --alignment $W/align$ITERATIONS/summary.json --runs "${runs[@]}" \
  --command "SYNTH_EPOCHS=$SYNTH_EPOCHS ITER_EPOCHS=$ITER_EPOCHS ITERATIONS=$ITERATIONS SYNTH_PHRASES=$SYNTH_PHRASES models/recipe/run.sh"

# The learned scorer reads the engine's own per-phone rows, so its data is made by the engine (the addon must be
# built: ./speakai install) with the acoustic model just exported; a new acoustic model gets a new scorer.
S=$W/scorer/$(sha256sum $MODEL | cut -c1-12)
mkdir -p $S
[ -f $S/train.json ] || { stage "scorer features (engine, train split)"; node models/recipe/scorer_features.ts $S/train.json; }
[ -f $S/substituted.json ] || { stage "simulated substitutions"; node models/recipe/scorer_features.ts $S/substituted.json --substitute --copies 3; }
[ -f $S/run/metrics.json ] || { stage "train scorer"; mkdir -p $S/run
  $PY -m models.recipe.scorer train $S/train.json $S/run --substituted $S/substituted.json --epochs "$SCORER_EPOCHS" --folds "$SCORER_FOLDS" \
    --members "$SCORER_MEMBERS" 2>&1 | tee $S/run/log.txt; }
mkdir -p models/runs/scorer && cp $S/run/metrics.json $S/run/log.txt models/runs/scorer/
stage "export scorer"
$PY -m models.recipe.scorer export $S/run/checkpoint.pt $SCORER --features $S/train.json
stage "other languages (models/recipe/run-languages.sh)"
bash models/recipe/run-languages.sh
stage done
