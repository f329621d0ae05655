#!/usr/bin/env bash
# Training and scoring at one image size (bench SizeProbe), each in a JVM of its own; appends two
# JSON lines to OUT. Usage: scripts/size_probe.sh CxHxW TRAIN_IMAGES BATCH SCORE_IMAGES MAX_CHUNK_BYTES OUT
# Needs the built tool (./drift4j --help builds it). Scoring runs with -Xmx512m; JavaCPP's off-heap
# limits and the direct-buffer limit (the images are in a direct buffer) are raised so that the
# resident memory, not a limit, is what is measured.
set -euo pipefail
shape=$1 train=$2 batch=$3 score=$4 chunk=$5 out=$6
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/drift-examples/target/drift4j.jar"
model="$(mktemp -d)/model-$shape.zip"
offheap="-Dorg.bytedeco.javacpp.maxbytes=8g -Dorg.bytedeco.javacpp.maxphysicalbytes=12g"
java -Xmx2g $offheap -cp "$jar" org.drift4j.examples.bench.SizeProbe train "$shape" "$model" "$train" "$batch" \
  2>>"$out.log" | grep '^{' >> "$out"
java -Xmx512m -XX:MaxDirectMemorySize=2g $offheap --add-modules jdk.incubator.vector -cp "$jar" org.drift4j.examples.bench.SizeProbe score \
  "$shape" "$model" "$score" "$chunk" 2>>"$out.log" | grep '^{' >> "$out"
rm -rf "$(dirname "$model")"
