package org.drift4j.dl4j;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * Checks the header of a network's parameters ({@code coefficients.bin}, ND4J's binary array
 * form: a shape buffer, then a data buffer, each an allocation mode, a length and a type before
 * its values) before ND4J reads it: ND4J allocates what the lengths declare before reading a
 * value, so a corrupt or crafted length would allocate gigabytes for a few bytes. Here the shape
 * must be that of an array of rank at most 32 and the data length must be exactly what the entry
 * holds. Stateless.
 */
final class Coefficients {

  private static final Map<String, Integer> VALUE_BYTES = Map.of("FLOAT", 4, "DOUBLE", 8, "HALF", 2, "BFLOAT16", 2,
      "LONG", 8, "INT", 4);
  private static final int MAX_SHAPE_LENGTH = 2 * 32 + 4;

  private Coefficients() {}

  /**
   * @param what how messages name the entry, e.g. {@code "model.zip: entry network.zip/coefficients.bin"}
   * @throws Dl4jModelFormatException if the header does not describe exactly the bytes that follow it
   */
  static void check(String what, byte[] bytes) throws Dl4jModelFormatException {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
      in.readUTF();
      long shapeLength = in.readLong();
      String shapeType = in.readUTF();
      Integer shapeBytes = VALUE_BYTES.get(shapeType);
      if (shapeLength < 4 || shapeLength > MAX_SHAPE_LENGTH || shapeBytes == null || shapeBytes < 4) {
        throw new Dl4jModelFormatException(what + ": the shape header must declare 4 to " + MAX_SHAPE_LENGTH
            + " LONG or INT values, but declared " + shapeLength + " of type '" + shapeType + "'");
      }
      long skip = shapeLength * shapeBytes;
      if (in.skipBytes((int) skip) != skip) {
        throw new Dl4jModelFormatException(what + ": ends inside its shape header");
      }
      String mode = in.readUTF();
      if (mode.equals("COMPRESSED")) {
        throw new Dl4jModelFormatException(what + ": compressed parameters are not part of a Drift4j model");
      }
      long values = in.readLong();
      String type = in.readUTF();
      Integer valueBytes = VALUE_BYTES.get(type);
      long held = in.available();
      if (valueBytes == null || values < 0 || values > held / valueBytes || values * valueBytes != held) {
        throw new Dl4jModelFormatException(what + ": the data header declares " + values + " values of type '" + type
            + "' but " + held + " bytes follow it");
      }
    } catch (Dl4jModelFormatException e) {
      throw e;
    } catch (IOException e) {
      throw new Dl4jModelFormatException(what + ": ends inside its header (truncated or corrupt model)", e);
    }
  }
}
