package io.github.clusterrun.cluster.testing;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Waits for an event by polling a condition until a deadline; the tests never sleep blindly. */
public final class Await {
  private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private Await() {}

  /** Polls {@code condition} until it holds; fails the test naming {@code what} at the deadline. */
  public static void until(String what, BooleanSupplier condition, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for " + what);
      }
      LockSupport.parkNanos(POLL_NANOS);
    }
  }

  /** Polls {@code value} until it is non-null and returns it. */
  public static <T> T value(String what, Supplier<T> value, Duration timeout) {
    Object[] holder = new Object[1];
    until(
        what,
        () -> {
          holder[0] = value.get();
          return holder[0] != null;
        },
        timeout);
    @SuppressWarnings("unchecked")
    T result = (T) holder[0];
    return result;
  }
}
