#!/usr/bin/env bash
# The grid behind the architecture defaults per image size (docs/performance.md): for each size,
# Fashion-MNIST made into that size (scripts/sized_fashion_mnist.py), each architecture trained
# 3 epochs on the same images (bench ArchitectureGrid), one JSON line each appended to OUT.
# Usage: scripts/architecture_grid.sh DATA_DIR OUT [--only128]. Needs the built tool (./drift4j --help builds
# it; DRIFT4J_JAR names a copy of it so that rebuilds do not disturb a run); each size runs under flock /tmp/mvn.lock, so that builds and other measurements wait.
set -euo pipefail
data=$1 out=$2
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="${DRIFT4J_JAR:-$here/drift-examples/target/drift4j.jar}"
grid() { # shape images configs...: one JVM for the size
  local shape=$1 images=$2; shift 2
  [ -f "$data/fm-$shape.idx" ] || /usr/bin/python3 "$here/scripts/sized_fashion_mnist.py" --shape "$shape" --count 4000 \
    --out "$data/fm-$shape.idx"
  flock /tmp/mvn.lock java -Xmx8g --add-modules jdk.incubator.vector -Djava.awt.headless=true -cp "$jar" \
    org.drift4j.examples.bench.ArchitectureGrid "$data/fm-$shape.idx" "$out" "$images" 3 128 "$@" 2>>"$out.log"
}
capped() { # seconds shape images configs...: one JVM per architecture, stopped after the seconds (lock held)
  local cap=$1 shape=$2 images=$3; shift 3
  [ -f "$data/fm-$shape.idx" ] || /usr/bin/python3 "$here/scripts/sized_fashion_mnist.py" --shape "$shape" --count 4000 \
    --out "$data/fm-$shape.idx"
  for filters in "$@"; do
    flock /tmp/mvn.lock timeout "$cap" java -Xmx8g --add-modules jdk.incubator.vector -Djava.awt.headless=true \
      -cp "$jar" org.drift4j.examples.bench.ArchitectureGrid "$data/fm-$shape.idx" "$out" "$images" 3 128 "$filters" \
      2>>"$out.log" || echo "{\"shape\":\"$shape\",\"filters\":\"$filters\",\"stoppedAfterSeconds\":$cap,\"images\":$images}" >> "$out"
  done
}
if [ "${3:-}" != "--only128" ]; then
grid 3x32x32 4000 32,32 16,16 48,48 16,16,16 32,32,32 48,48,48 16,16,16,16 32,32,32,32 48,48,48,48
grid 3x64x64 4000 32,32 16,16 48,48 16,16,16 32,32,32 48,48,48 16,16,16,16 32,32,32,32
fi
# at 128x128 an architecture the op plan refuses trains through DL4J's fit about 10x slower: capped
capped 150 1x128x128 800 32,32 16,16,16 32,32,32
capped 200 3x128x128 800 32,32 16,16,16
