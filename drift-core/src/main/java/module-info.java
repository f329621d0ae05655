/**
 * Drift4j's backend-agnostic core: image batches, baselines, decision policies, the detector and
 * its reports ({@code org.drift4j}), and the extension point for autoencoder backends
 * ({@code org.drift4j.spi}).
 */
// "module": the qualified export names Drift4j modules that are built after this one
@SuppressWarnings("module")
module org.drift4j {
  // Images arrive as BufferedImages (ImageBatch.ofImages)
  requires transitive java.desktop;
  // JSON of baselines and reports
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;

  // The API a user touches
  exports org.drift4j;
  // What an autoencoder backend implements
  exports org.drift4j.spi;
  // Crash-safe file writes, shared by the Drift4j modules that store files; not API
  exports org.drift4j.internal to org.drift4j.dl4j, org.drift4j.onnx, org.drift4j.examples;
}
