package org.drift4j.examples.experiment;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import javax.imageio.ImageIO;
import org.drift4j.ImageBatch;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** The experiment's figures, drawn headless. */
final class Charts {

  private Charts() {}

  /** Inputs on the top row, their reconstructions below, scaled up ×3. */
  static void grid(ImageBatch inputs, float[][] reconstructions, int count, Path file) throws IOException {
    int n = Math.min(count, inputs.size());
    int h = inputs.shape().height();
    int w = inputs.shape().width();
    int scale = 3;
    int gap = 2;
    BufferedImage img = new BufferedImage(n * (w * scale + gap) + gap, 2 * (h * scale + gap) + gap, BufferedImage.TYPE_INT_RGB);
    var g = img.createGraphics();
    g.setColor(new Color(90, 90, 90));
    g.fillRect(0, 0, img.getWidth(), img.getHeight());
    g.dispose();
    for (int i = 0; i < n; i++) {
      for (int row = 0; row < 2; row++) {
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            float v = row == 0 ? inputs.pixel(i, y * w + x) : reconstructions[i][y * w + x];
            int grey = Math.round(Math.min(1f, Math.max(0f, v)) * 255);
            int rgb = (grey << 16) | (grey << 8) | grey;
            for (int dy = 0; dy < scale; dy++) {
              for (int dx = 0; dx < scale; dx++) {
                img.setRGB(gap + i * (w * scale + gap) + x * scale + dx, gap + row * (h * scale + gap) + y * scale + dy, rgb);
              }
            }
          }
        }
      }
    }
    ImageIO.write(img, "png", file.toFile());
  }

  /** Overlaid histograms (as step lines of densities) of per-image errors. */
  static void histograms(String title, Map<String, double[]> errorsByName, Path file) throws IOException {
    double max = 0;
    for (double[] e : errorsByName.values()) {
      for (double v : e) {
        max = Math.max(max, v);
      }
    }
    int bins = 50;
    double width = max / bins;
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("per-image reconstruction error (BCE)").yAxisTitle("share of images").build();
    chart.getStyler().setMarkerSize(0);
    chart.getStyler().setXAxisDecimalPattern("0.00");
    for (Map.Entry<String, double[]> entry : errorsByName.entrySet()) {
      double[] x = new double[bins];
      double[] y = new double[bins];
      for (double v : entry.getValue()) {
        y[Math.min(bins - 1, (int) (v / width))] += 1.0 / entry.getValue().length;
      }
      for (int b = 0; b < bins; b++) {
        x[b] = (b + 0.5) * width;
      }
      XYSeries s = chart.addSeries(entry.getKey(), x, y);
      s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
      s.setMarker(SeriesMarkers.NONE);
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

  /** Detection rate against batch size, one line per series. */
  static void detection(String title, int[] batchSizes, Map<String, double[]> rates, Path file) throws IOException {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title)
        .xAxisTitle("batch size").yAxisTitle("share of batches flagged").build();
    chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0).setXAxisLogarithmic(true);
    double[] x = java.util.Arrays.stream(batchSizes).asDoubleStream().toArray();
    for (Map.Entry<String, double[]> entry : rates.entrySet()) {
      chart.addSeries(entry.getKey(), x, entry.getValue());
    }
    BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
  }

}
