package org.drift4j.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;
import org.drift4j.ImagePreprocessing;
import org.drift4j.ReconstructionError;

/** Scores one partition in chunks, with the executor's shared model; rows keep their order. */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {

  private static final long serialVersionUID = 1L;

  private final Broadcast<SparkModel> model;
  private final ImageColumn column;
  private final int imageIndex;
  private final ReconstructionError measure;
  /** The preprocessing's id: {@link ImagePreprocessing} is not serializable. */
  private final String preprocessing;
  private final int chunkImages;

  ScorePartition(Broadcast<SparkModel> model, ImageColumn column, int imageIndex, ReconstructionError measure,
      ImagePreprocessing preprocessing, int chunkImages) {
    this.model = model;
    this.column = column;
    this.imageIndex = imageIndex;
    this.measure = measure;
    this.preprocessing = preprocessing.id();
    this.chunkImages = chunkImages;
  }

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    if (!input.hasNext()) {
      return input;
    }
    ExecutorModels.Lease lease = lease(model.value(), chunkImages);
    ChunkScoring scoring = new ChunkScoring(lease.autoencoder(), column, imageIndex, measure,
        ImagePreprocessing.parse(preprocessing));
    return new Iterator<>() {
      private List<Row> out = List.of();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < out.size()) {
          return true;
        }
        if (!input.hasNext()) {
          lease.close();
          return false;
        }
        List<Row> chunk = new ArrayList<>(chunkImages);
        while (input.hasNext() && chunk.size() < chunkImages) {
          chunk.add(input.next());
        }
        ChunkScoring.Scores scores = scoring.score(chunk, null);
        out = new ArrayList<>(chunk.size());
        for (int i = 0; i < chunk.size(); i++) {
          out.add(outputRow(chunk.get(i), scores.errors()[i], scores.problems()[i]));
        }
        next = 0;
        return true;
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return out.get(next++);
      }
    };
  }

  /** Takes the executor's model for this task, handed back when the task ends however it ends. */
  static ExecutorModels.Lease lease(SparkModel model, int chunkImages) {
    TaskContext task = TaskContext.get();
    int threads = task == null ? 1 : Math.max(1, task.cpus());
    ExecutorModels.Lease lease = ExecutorModels.acquire(model, threads, chunkImages);
    if (task != null) {
      task.addTaskCompletionListener((TaskCompletionListener) context -> lease.close());
    }
    return lease;
  }

  private Row outputRow(Row in, double error, String problem) {
    Object[] values = new Object[in.size() + 1];
    int k = 0;
    for (int i = 0; i < in.size(); i++) {
      if (i != imageIndex) {
        values[k++] = in.get(i);
      }
    }
    values[k++] = problem == null ? error : null;
    values[k] = problem;
    return RowFactory.create(values);
  }
}
