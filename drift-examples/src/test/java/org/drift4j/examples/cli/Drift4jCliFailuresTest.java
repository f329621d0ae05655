package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.drift4j.examples.data.IdxBytes.gzip;
import static org.drift4j.examples.data.IdxBytes.idx;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.drift4j.examples.data.Idx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every failure exits with status 2 and one line on stderr, never 1 (drift) nor a stack trace.
 * Apart from {@link Drift4jCliTest} because none of it needs a trained model.
 */
class Drift4jCliFailuresTest {

  @TempDir
  Path dir;

  record Run(int status, String err) {}

  private static Run run(Object extraCommand, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = Drift4jCli.commandLine(new PrintWriter(out, true), new PrintWriter(err, true));
    if (extraCommand != null) {
      cl.addSubcommand(extraCommand);
      cl.setErr(new PrintWriter(err, true)); // reaches the subcommand added after commandLine() set it
    }
    return new Run(cl.execute(args), err.toString());
  }

  @Command(name = "exhaust")
  static final class Exhaust implements Callable<Integer> {
    @Override
    public Integer call() {
      throw new OutOfMemoryError("Java heap space");
    }
  }

  @Command(name = "recurse")
  static final class Recurse implements Callable<Integer> {
    @Override
    public Integer call() {
      return depth(0);
    }

    private static int depth(int n) {
      return depth(n + 1) + 1;
    }
  }

  @Command(name = "fail")
  static final class Fail implements Callable<Integer> {
    final RuntimeException failure;

    Fail(RuntimeException failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() {
      throw failure;
    }
  }

  private static void assertOneLine(Run run, String expected) {
    assertThat(run.status()).as(run.err()).isEqualTo(Drift4jCli.EXIT_ERROR);
    assertThat(run.err()).isEqualTo(expected + System.lineSeparator());
  }

  @Test
  void benchRefusesASizeWhoseSidesDoNotDivideByFourBeforeMeasuringAnything() {
    assertOneLine(run(null, "bench", "--sizes", "3x32x32,1x30x30", "--out", dir.resolve("bench").toString()),
        "drift4j bench: --sizes: height and width must be divisible by 4 (the autoencoder pools twice), but 1x30x30"
            + " has 30x30");
    assertThat(dir.resolve("bench")).doesNotExist();
  }

  @Test
  void benchRefusesTooFewSizeTrainingImagesNamingTheOption() {
    assertOneLine(run(null, "bench", "--sizes", "3x32x32", "--size-training-images", "8"),
        "drift4j bench: --size-training-images must be at least 32 with --sizes, but was 8");
  }

  @Test
  void anOversizedIdxFileExitsWithTwoAndOneLine() throws IOException {
    Path bomb = dir.resolve("bomb-idx3-ubyte.gz");
    Files.write(bomb, gzip(idx(0x803, new int[] {2_000_000, 28, 28}, new byte[784])));
    assertOneLine(run(null, "train", "--images", bomb.toString(), "--out", dir.resolve("model").toString()),
        "drift4j train: " + bomb + ": header promises 2000000 images of 28x28 (1568000000 bytes), more than the "
            + Idx.MAX_BYTES_IN_MEMORY + " bytes that readImages loads at once; stream it with Idx.openImages");
  }

  @Test
  void aCorruptIdxFileExitsWithTwoAndOneLine() throws IOException {
    Path liar = dir.resolve("liar-idx3-ubyte");
    Files.write(liar, idx(0x803, new int[] {1_000_000_000, 1, 1}, new byte[100]));
    assertOneLine(run(null, "train", "--images", liar.toString(), "--out", dir.resolve("model").toString()),
        "drift4j train: " + liar + ": header promises 1000000000 images of 1x1 (1000000000 bytes) but the file holds"
            + " only 100 bytes after the header: it ends before image 100 (counting from 0)");
  }

  private Path blankImages(int count) throws IOException {
    Path file = dir.resolve(count + "-idx3-ubyte");
    Files.write(file, idx(0x803, new int[] {count, 28, 28}, new byte[count * 784]));
    return file;
  }

  /** Before: training ran, then the baseline failed with "errors must hold at least 2 values". */
  @Test
  void tooFewImagesForTheValidationSplitAreRefusedBeforeTraining() throws IOException {
    Path ten = blankImages(10);
    Path out = dir.resolve("model");
    assertOneLine(run(null, "train", "--images", ten.toString(), "--out", out.toString()),
        "drift4j train: --validation-fraction 0.1 of 10 images gives 1 validation and 9 training images; the baseline"
            + " needs at least 2 validation images and training at least 1: use more images or another"
            + " --validation-fraction");
    assertThat(out).doesNotExist();
  }

  /** Before: the file was found only after training, reported as a bare path. */
  @Test
  void anOutThatIsAFileIsRefusedBeforeAnythingIsRead() throws IOException {
    Path file = Files.writeString(dir.resolve("taken"), "x");
    assertOneLine(run(null, "train", "--images", dir.resolve("missing").toString(), "--out", file.toString()),
        "drift4j train: --out must be a folder (it is created if missing), but " + file + " is a file");
  }

  /** Before: "Is a directory". */
  @Test
  void labelsThatAreAFolderAreRefusedInTheOptionsTerms() throws IOException {
    assertOneLine(run(null, "train", "--images", blankImages(100).toString(), "--labels", dir.toString(), "--out",
        dir.resolve("model").toString()),
        "drift4j train: --labels must be an IDX label file, but " + dir + " is a folder");
  }

  @Test
  void aSecondTrainIntoAFolderBeingWrittenIsRefused() throws IOException {
    Path out = dir.resolve("model");
    ModelFolderLock held = ModelFolderLock.acquire(out);
    try {
      assertOneLine(run(null, "train", "--images", blankImages(100).toString(), "--out", out.toString()),
          "drift4j train: " + out + " is being written by another 'drift4j train' (it holds the lock "
              + out.resolve(ModelFolderLock.FILE) + "); wait for it to finish or give another --out");
    } finally {
      held.close();
    }
  }

  @Test
  void filtersBelowOneAreRefusedBeforeAnythingIsRead() {
    assertOneLine(run(null, "train", "--images", dir.resolve("missing").toString(), "--out",
        dir.resolve("model").toString(), "--filters", "32,0"),
        "drift4j train: --filters values must be between 1 and 1024, but 32,0 holds 0");
  }

  @Test
  void moreThanEightLevelsAreRefused() {
    assertOneLine(run(null, "train", "--images", dir.resolve("missing").toString(), "--out",
        dir.resolve("model").toString(), "--filters", "8,8,8,8,8,8,8,8,8"),
        "drift4j train: --filters must give 1 to 8 levels, but gave 9");
  }

  @Test
  void levelsThatDoNotDivideTheImagesAreRefusedBeforeTraining() throws IOException {
    Path out = dir.resolve("model");
    assertOneLine(run(null, "train", "--images", blankImages(100).toString(), "--out", out.toString(), "--filters",
        "32,32,32"),
        "drift4j train: --filters 32,32,32 gives 3 pooling levels, which need height and width divisible by 8 (2^3),"
            + " but the images are 28x28; give fewer levels or crop or pad the images");
    assertThat(out).doesNotExist();
  }

  @Test
  void imagesTheDefaultDoesNotFitAreRefusedWithTheFix() throws IOException {
    Path file = dir.resolve("30-idx3-ubyte");
    Files.write(file, idx(0x803, new int[] {100, 30, 30}, new byte[100 * 900]));
    assertOneLine(run(null, "train", "--images", file.toString(), "--out", dir.resolve("model").toString()),
        "drift4j train: images of 30x30 do not fit the default architecture: its pooling levels need height and"
            + " width divisible by 4; crop or pad the images, or give --filters with one level (--filters 32) for"
            + " sides divisible by 2");
  }

  /** Before: --alpha was ignored without a word. A usage error, so the usage follows, as for --policy. */
  @Test
  void alphaWithTheRelativeIncreasePolicyIsRefusedBeforeTheModelIsOpened() {
    Run run = run(null, "check", "--model", dir.resolve("no-model").toString(), "--images", dir.toString(),
        "--batch-size", "10", "--policy", "relative-increase", "--alpha", "0.05");
    assertThat(run.status()).isEqualTo(Drift4jCli.EXIT_ERROR);
    assertThat(run.err()).startsWith("--alpha applies to --policy rank and ks, not to relative-increase (a fixed +10%"
        + " rule with no false-alarm rate); drop --alpha or choose rank or ks" + System.lineSeparator() + "Usage:");
  }

  @Test
  void anOutOfMemoryErrorInsideACommandExitsWithTwoAndOneLine() {
    assertOneLine(run(new Exhaust(), "exhaust"),
        "drift4j exhaust: out of memory (Java heap space); give the JVM more heap (-Xmx) or the command less data");
  }

  @Test
  void aStackOverflowInsideACommandExitsWithTwoAndOneLine() {
    assertOneLine(run(new Recurse(), "recurse"), "drift4j recurse: internal error: StackOverflowError");
  }

  @Test
  void anExceptionWithoutAMessageIsNamedAndAMultiLineMessageIsJoined() {
    assertOneLine(run(new Fail(new IllegalStateException()), "fail"), "drift4j fail: IllegalStateException");
    assertOneLine(run(new Fail(new IllegalStateException("first\nsecond\r\nthird")), "fail"),
        "drift4j fail: first second third");
  }
}
