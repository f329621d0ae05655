package org.drift4j.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CallGateTest {

  @Test
  void closeWaitsForTheCallInFlightThenFreesOnce() throws InterruptedException {
    CallGate gate = new CallGate("this thing");
    CountDownLatch inside = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean running = new AtomicBoolean();
    AtomicBoolean freedWhileRunning = new AtomicBoolean();
    AtomicInteger frees = new AtomicInteger();
    Thread caller = new Thread(() -> gate.call(() -> {
      running.set(true);
      inside.countDown();
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      running.set(false);
      return null;
    }));
    caller.start();
    assertThat(inside.await(10, TimeUnit.SECONDS)).isTrue();
    Thread closer = new Thread(() -> gate.close(() -> {
      freedWhileRunning.set(running.get());
      frees.incrementAndGet();
    }));
    closer.start();
    while (!gate.isClosed()) {
      Thread.onSpinWait();
    }
    assertThatThrownBy(() -> gate.call(() -> 1)).isInstanceOf(IllegalStateException.class)
        .hasMessage("this thing is closed");
    assertThat(frees).hasValue(0);
    release.countDown();
    closer.join(10_000);
    caller.join(10_000);
    assertThat(frees).hasValue(1);
    assertThat(freedWhileRunning).isFalse();
    gate.close(frees::incrementAndGet);
    assertThat(frees).hasValue(1);
  }
}
