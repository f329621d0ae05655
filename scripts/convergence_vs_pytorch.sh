#!/usr/bin/env bash
# Validation error after the same epochs: `drift4j train` against PyTorch trained the same way
# (scripts/pytorch_training_reference.py: same architecture, Adam settings, batch, split and
# minibatch order), on the same IDX file, one JSON line per engine and seed appended to OUT.
# Usage: scripts/convergence_vs_pytorch.sh IMAGES FILTERS EPOCHS OUT SEED...
# PyTorch runs twice per seed: with DL4J's initialisation (Xavier uniform, zero biases) and with
# its own default (INITS="dl4j" runs only the first). Needs the built tool (DRIFT4J_JAR may name a copy) and Debian's python3-torch;
# each run holds flock /tmp/mvn.lock.
set -euo pipefail
images=$1 filters=$2 epochs=$3 out=$4; shift 4
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${DRIFT4J_JAR:-$here/drift-examples/target/drift4j.jar}"
for seed in "$@"; do
  model="$(mktemp -d)"
  flock /tmp/mvn.lock java -Xmx6g --add-modules jdk.incubator.vector -Djava.awt.headless=true -jar "$jar" train \
    --images "$images" --out "$model/m" --epochs "$epochs" --seed "$seed" --filters "$filters" 2>>"$out.log"
  /usr/bin/python3 -c 'import json,sys; h=json.load(open(sys.argv[1])); print(json.dumps({"engine":"drift4j-dl4j",
"images":sys.argv[2],"filters":sys.argv[3],"seed":int(sys.argv[4]),"epochs":len(h),"history":h}))' \
    "$model/m/training.json" "$images" "$filters" "$seed" >> "$out"
  rm -rf "$model"
  for init in ${INITS:-dl4j torch}; do
    flock /tmp/mvn.lock /usr/bin/python3 "$here/scripts/pytorch_training_reference.py" --images "$images" \
      --filters "$filters" --epochs "$epochs" --seed "$seed" --init "$init" >> "$out" 2>>"$out.log"
  done
done
