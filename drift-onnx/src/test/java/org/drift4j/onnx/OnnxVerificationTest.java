package org.drift4j.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.drift4j.dl4j.Dl4jAutoencoder;
import org.drift4j.dl4j.Dl4jOnnxExporter;
import org.drift4j.testkit.SyntheticImages;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a verification record must still prove at load before the ONNX model takes the DL4J fingerprint. */
class OnnxVerificationTest {

  @TempDir
  Path dir;

  private Dl4jAutoencoder dl4j;
  private Path onnx;
  private Path zip;
  private Path record;

  @BeforeEach
  void exportAndVerifyAsTrainDoes() throws IOException {
    dl4j = Fixtures.dl4j();
    onnx = dir.resolve("model.onnx");
    zip = dir.resolve("model.zip");
    dl4j.save(zip);
    Files.write(onnx, Dl4jOnnxExporter.export(dl4j));
    try (OnnxAutoencoder exported = OnnxAutoencoder.load(onnx)) {
      OnnxVerification.compare(dl4j, exported, SyntheticImages.blobs(Fixtures.MNIST, 20, 3), 1e-5)
          .withSourceFile(zip).writeFor(onnx);
    }
    record = OnnxVerification.pathFor(onnx);
  }

  private String fingerprintAtLoad() throws IOException {
    try (OnnxAutoencoder loaded = OnnxAutoencoder.load(onnx)) {
      return loaded.fingerprint();
    }
  }

  private String refusal() throws IOException {
    OnnxVerification v = OnnxVerification.readFor(onnx);
    try (OnnxAutoencoder own = OnnxAutoencoder.fromBytes(Files.readAllBytes(onnx), OnnxConfig.ofDefaults())) {
      return v.refusal(own.modelSha256(), own.inputShape(), own::reconstruct, onnx);
    }
  }

  private void editRecord(java.util.function.Consumer<ObjectNode> edit) throws IOException {
    ObjectMapper json = new ObjectMapper();
    ObjectNode node = (ObjectNode) json.readTree(record.toFile());
    edit.accept(node);
    json.writeValue(record.toFile(), node);
  }

  @Test
  void aRecordWhoseClaimsAllHoldGivesTheSourceFingerprintAndNamesTheSourceFile() throws IOException {
    OnnxVerification v = OnnxVerification.readFor(onnx);
    assertThat(v.sourceFile()).isEqualTo("model.zip");
    assertThat(v.sourceFileSha256()).isEqualTo(Hashes.sha256(Files.readAllBytes(zip)));
    assertThat(v.sample().count()).isEqualTo(4);
    assertThat(refusal()).isNull();
    assertThat(fingerprintAtLoad()).isEqualTo(dl4j.fingerprint());
  }

  @Test
  void withoutTheSourceFileNextToItTheSampleStillBindsTheRecord() throws IOException {
    Files.delete(zip);
    assertThat(fingerprintAtLoad()).isEqualTo(dl4j.fingerprint());
  }

  @Test
  void aRecordCopiedToAnotherModelWithItsHashEditedInIsRefusedByTheSample() throws IOException {
    byte[] other = Files.readAllBytes(Fixtures.resource("pytorch-autoencoder.onnx"));
    Files.write(onnx, other);
    editRecord(node -> node.put("onnxSha256", Hashes.sha256(other)));
    assertThat(refusal()).startsWith("this model's reconstructions of its sample differ from the source's by ")
        .endsWith(" (tolerance 1.0E-5): the record belongs to another model");
    assertThat(fingerprintAtLoad()).isEqualTo("onnx-sha256:" + Hashes.sha256(other));
  }

  @Test
  void aHandWrittenRecordWithoutASampleIsReadButGivesNoSourceFingerprint() throws IOException {
    editRecord(node -> {
      node.remove("sample");
      node.remove("sourceFile");
      node.remove("sourceFileSha256");
    });
    assertThat(refusal()).isEqualTo("it holds no sample to re-run (written by an older Drift4j); run 'drift4j train'"
        + " again to bind the export to its source");
    assertThat(fingerprintAtLoad()).startsWith("onnx-sha256:");
  }

  @Test
  void aReplacedSourceFileIsRefused() throws IOException {
    byte[] bytes = Files.readAllBytes(zip);
    Files.write(zip, java.util.Arrays.copyOf(bytes, bytes.length + 1));
    String hash = Hashes.sha256(Files.readAllBytes(zip));
    assertThat(refusal()).isEqualTo(zip + " has SHA-256 " + hash + ", not the recorded "
        + Hashes.sha256(bytes) + " (it was replaced, e.g. by a later training, without a new export)");
    assertThat(fingerprintAtLoad()).startsWith("onnx-sha256:");
  }

  @Test
  void aRecordEditedToClaimAnotherSourceIsRefusedByTheFingerprintInsideTheSourceFile() throws IOException {
    editRecord(node -> node.put("sourceFingerprint", "sha256:another"));
    assertThat(refusal()).isEqualTo(zip + " holds the model " + dl4j.fingerprint()
        + ", not the recorded source sha256:another");
    assertThat(fingerprintAtLoad()).startsWith("onnx-sha256:");
  }

  @Test
  void fromBytesRefusesARecordThatDoesNotApplySayingWhy() throws IOException {
    OnnxVerification v = OnnxVerification.readFor(onnx);
    byte[] other = Files.readAllBytes(Fixtures.resource("pytorch-autoencoder.onnx"));
    assertThatThrownBy(() -> OnnxAutoencoder.fromBytes(other, OnnxConfig.ofDefaults(), v))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the verification record does not apply to this model: it is for ONNX bytes with SHA-256 "
            + v.onnxSha256() + ", but this model's are " + Hashes.sha256(other)
            + " (the model was edited or replaced after the record was written)");
    try (OnnxAutoencoder exported = OnnxAutoencoder.fromBytes(Files.readAllBytes(onnx), OnnxConfig.ofDefaults(), v)) {
      assertThat(exported.fingerprint()).isEqualTo(dl4j.fingerprint());
    }
  }

  @Test
  void aRecordNamingASourceFileOutsideItsFolderIsRefusedAsInvalid() throws IOException {
    editRecord(node -> node.put("sourceFile", "../model.zip"));
    assertThatThrownBy(() -> OnnxAutoencoder.load(onnx))
        .isInstanceOf(OnnxModelException.class)
        .hasMessageStartingWith(record + ": not a valid verification record: ")
        .hasMessageContaining("sourceFile must be the name of a file next to the ONNX file, but was '../model.zip'");
  }

  @Test
  void aRecordThatIsNotJsonIsRefusedNamingIt() throws IOException {
    Files.writeString(record, "{ not json");
    assertThatThrownBy(() -> OnnxAutoencoder.load(onnx))
        .isInstanceOf(OnnxModelException.class)
        .hasMessageStartingWith(record + ": not a valid verification record: ");
  }
}
