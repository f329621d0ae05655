#!/usr/bin/env bash
# Throughput of a drift audit on Spark (local mode) against the single-JVM path, in one run:
# builds drift-spark and its test classes, then runs org.drift4j.spark.SparkAuditBench, which
# writes runs/spark-bench/bench.json (docs/spark.md, "Throughput"). Arguments go to the benchmark:
#   scripts/spark-bench.sh [--days 20] [--per-day 10000] [--masters local[1],local[2]] [--out DIR]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
./mvnw -B -q -pl drift-spark -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# the JVM options Spark 4 needs on Java 17: the same as the tests' (drift-spark/pom.xml)
opts="$(sed -n 's:.*<spark.jvm.options>\(.*\)</spark.jvm.options>.*:\1:p' drift-spark/pom.xml)"
cp="drift-spark/target/test-classes:drift-spark/target/classes:$(cat drift-spark/target/bench.classpath)"
# shellcheck disable=SC2086
exec java ${BENCH_JAVA_OPTS:--Xmx6g} $opts -Djava.awt.headless=true -cp "$cp" org.drift4j.spark.SparkAuditBench "$@"
