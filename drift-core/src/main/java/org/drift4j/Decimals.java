package org.drift4j;

/**
 * Number formatting for policy details, which {@code check()} writes on every call: the output of
 * {@code String.format}'s {@code %.Nf} and {@code %.Ng} for finite values (ties may round the
 * other way), in a fraction of its time. {@code String.format} parses its pattern and looks up
 * locale data on each call, which cost microseconds per check once ONNX Runtime had evicted it
 * from the caches.
 */
final class Decimals {

  private static final long[] POWERS = new long[19];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) {
      POWERS[i] = POWERS[i - 1] * 10;
    }
  }

  private Decimals() {}

  /** {@code String.format(Locale.ROOT, "%.<decimals>f", value)}, with a '+' on positives if asked. */
  static String fixed(double value, int decimals, boolean plusSign) {
    StringBuilder out = new StringBuilder(24);
    appendFixed(out, value, decimals, plusSign);
    return out.toString();
  }

  /** {@code String.format(Locale.ROOT, "%.<digits>g", value)}. */
  static String significant(double value, int digits) {
    double size = Math.abs(value);
    if (!(size >= 1e-290 && size <= 1e290) || digits < 1 || digits > 15) { // 0, non-finite, extremes

      return String.format(java.util.Locale.ROOT, "%." + Math.max(digits, 1) + "g", value);
    }
    double magnitude = size;
    int exponent = (int) Math.floor(Math.log10(magnitude));
    long mantissa = Math.round(magnitude / Math.pow(10, exponent - digits + 1));
    if (mantissa >= POWERS[digits]) { // rounding carried into another digit
      exponent++;
      mantissa = Math.round(magnitude / Math.pow(10, exponent - digits + 1));
    } else if (mantissa < POWERS[digits - 1]) { // log10 rounded up
      exponent--;
      mantissa = Math.round(magnitude / Math.pow(10, exponent - digits + 1));
    }
    StringBuilder out = new StringBuilder(24);
    if (value < 0) {
      out.append('-');
    }
    if (exponent >= -4 && exponent < digits) {
      int decimals = digits - 1 - exponent;
      appendScaled(out, mantissa, decimals);
    } else {
      appendScaled(out, mantissa, digits - 1);
      out.append(exponent < 0 ? "e-" : "e+");
      int e = Math.abs(exponent);
      if (e < 10) {
        out.append('0');
      }
      out.append(e);
    }
    return out.toString();
  }

  private static void appendFixed(StringBuilder out, double value, int decimals, boolean plusSign) {
    double scaled = Math.abs(value) * POWERS[Math.min(decimals, 18)];
    if (!Double.isFinite(value) || decimals > 18 || scaled >= 9e15) {
      out.append(String.format(java.util.Locale.ROOT, "%" + (plusSign ? "+" : "") + "." + decimals + "f", value));
      return;
    }
    long units = Math.round(scaled);
    if (value < 0 || 1 / value < 0) { // String.format keeps the sign of -0.0 and of what rounds to it
      out.append('-');
    } else if (plusSign) {
      out.append('+');
    }
    appendScaled(out, units, decimals);
  }

  /** {@code units / 10^decimals} with exactly {@code decimals} decimals. */
  private static void appendScaled(StringBuilder out, long units, int decimals) {
    if (decimals <= 0) {
      out.append(units);
      return;
    }
    out.append(units / POWERS[decimals]).append('.');
    String fraction = Long.toString(units % POWERS[decimals]);
    for (int i = fraction.length(); i < decimals; i++) {
      out.append('0');
    }
    out.append(fraction);
  }
}
