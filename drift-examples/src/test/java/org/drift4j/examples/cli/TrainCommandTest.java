package org.drift4j.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.drift4j.ImageShape;
import org.drift4j.dl4j.Dl4jArchitecture;
import org.junit.jupiter.api.Test;

class TrainCommandTest {

  @Test
  void withoutFiltersTheImagesSizeGetsItsDefault() {
    for (ImageShape shape : Dl4jArchitecture.DEFAULT_FILTERS_BY_SHAPE.keySet()) {
      assertThat(TrainCommand.architecture(shape, null)).isEqualTo(Dl4jArchitecture.defaultFor(shape));
    }
    assertThat(TrainCommand.architecture(ImageShape.grey(28, 28), null).filters()).containsExactly(32, 32);
  }

  @Test
  void givenFiltersAreTheArchitecture() {
    Dl4jArchitecture a = TrainCommand.architecture(new ImageShape(3, 64, 64), new int[] {16, 24, 48});
    assertThat(a.filters()).containsExactly(16, 24, 48);
    assertThat(a.inputShape()).isEqualTo(new ImageShape(3, 64, 64));
  }
}
