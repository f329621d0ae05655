package org.drift4j.examples.experiment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.drift4j.DriftExplanation.Direction;
import org.drift4j.DriftExplanation.Region;
import org.drift4j.ImageShape;
import org.junit.jupiter.api.Test;

class LocalisationTest {

  private static final ImageShape SHAPE = ImageShape.grey(10, 10);

  @Test
  void precisionAndRecallCountSignificantPixelsInsideTheBoxEitherWay() {
    boolean[] up = new boolean[100];
    boolean[] down = new boolean[100];
    up[2 * 10 + 2] = true; // inside the box rows 2-4, columns 2-4
    down[3 * 10 + 3] = true; // inside, the other direction
    up[9 * 10 + 9] = true; // outside
    Localisation l = Localisation.of(SHAPE, up, down, null, 2, 2, 3);
    assertThat(l.significant()).isEqualTo(3);
    assertThat(l.insideBox()).isEqualTo(2);
    assertThat(l.precision()).isCloseTo(2 / 3.0, within(1e-12));
    assertThat(l.recall()).isCloseTo(2 / 9.0, within(1e-12));
    assertThat(l.region()).isFalse();
    assertThat(l.regionIou()).isZero();
  }

  @Test
  void withoutSignificantPixelsPrecisionIsUndefinedAndRecallZero() {
    Localisation l = Localisation.of(SHAPE, new boolean[100], new boolean[100], null, 0, 0, 4);
    assertThat(l.precision()).isNaN();
    assertThat(l.recall()).isZero();
  }

  @Test
  void theRegionIsScoredByItsCentreAndItsOverlapWithTheBox() {
    Region onBox = new Region(Direction.DOWN, 2, 2, 3, 3, List.of(0), 1, -5);
    Localisation exact = Localisation.of(SHAPE, new boolean[100], new boolean[100], onBox, 2, 2, 3);
    assertThat(exact.regionCentreInBox()).isTrue();
    assertThat(exact.regionIou()).isEqualTo(1.0);
    assertThat(exact.regionDown()).isTrue();
    Region shifted = new Region(Direction.UP, 3, 3, 3, 3, List.of(0), 1, 5);
    Localisation half = Localisation.of(SHAPE, new boolean[100], new boolean[100], shifted, 2, 2, 3);
    assertThat(half.regionCentreInBox()).as("centre (4, 4) is the box's corner").isTrue();
    assertThat(half.regionIou()).isCloseTo(4 / 14.0, within(1e-12));
    Region away = new Region(Direction.UP, 6, 6, 3, 3, List.of(0), 1, 5);
    Localisation miss = Localisation.of(SHAPE, new boolean[100], new boolean[100], away, 2, 2, 3);
    assertThat(miss.regionCentreInBox()).isFalse();
    assertThat(miss.regionIou()).isZero();
  }
}
