package org.drift4j.examples.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NotMnistTest {

  @TempDir
  Path dir;

  @Test
  void lettersAreRenderedFromTheInstalledFonts() {
    assertThat(NotMnist.fontFamilies()).as("install a font package, e.g. apt-get install fonts-dejavu").isNotEmpty()
        .noneMatch(f -> f.equalsIgnoreCase("Dialog"));
    LabeledImages letters = NotMnist.generate(40, 1);
    assertThat(letters.images().shape()).isEqualTo(ImageShape.grey(28, 28));
    assertThat(letters.labels()).startsWith(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0);
    for (int i = 0; i < letters.size(); i++) {
      double ink = 0;
      for (float v : letters.images().image(i)) {
        ink += v;
      }
      assertThat(ink / 784).as("image %d has a visible glyph", i).isBetween(0.03, 0.7);
    }
    assertThat(letters.source()).contains("font families");
  }

  @Test
  void generationIsSeeded() {
    assertThat(NotMnist.generate(10, 5).images().toFlatArray()).containsExactly(NotMnist.generate(10, 5).images().toFlatArray());
    assertThat(NotMnist.generate(10, 5).images().toFlatArray()).isNotEqualTo(NotMnist.generate(10, 6).images().toFlatArray());
  }

  @Test
  void theRealDatasetIsLoadedFromIdxFilesWhenPresent() throws IOException {
    LabeledImages letters = NotMnist.generate(20, 1);
    Idx.writeImages(letters.images(), dir.resolve("notmnist-images-idx3-ubyte.gz"));
    Idx.writeLabels(letters.labels(), dir.resolve("notmnist-labels-idx1-ubyte.gz"));
    LabeledImages real = NotMnist.loadReal(dir);
    assertThat(real.size()).isEqualTo(20);
    assertThat(real.labels()).containsExactly(letters.labels());
    assertThat(NotMnist.loadReal(dir.resolve("absent"))).isNull();
  }
}
