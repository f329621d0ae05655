/**
 * A minimal writer of ONNX model protobufs (onnx.proto3): nodes, attributes, tensors, value
 * infos and models. Drift4j writes its DL4J exports and ONNX error heads with it; it knows
 * nothing about drift and depends on nothing.
 */
module org.drift4j.onnx.proto {
  // The writer's API
  exports org.drift4j.onnx.proto;
}
