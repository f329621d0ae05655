package org.drift4j.serve;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.http.MultiPartConfig;
import org.eclipse.jetty.http.MultiPartFormData;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.eclipse.jetty.server.Request;

/**
 * Request bodies, read whole but never past the size limit, and multipart bodies split into
 * their parts with Jetty's parser. Thread-safe (stateless beyond its settings).
 */
final class Bodies {

  private final long maxBytes;
  private final int maxParts;

  Bodies(long maxBytes, int maxParts) {
    this.maxBytes = maxBytes;
    this.maxParts = maxParts;
  }

  /**
   * The whole body.
   *
   * @throws RequestException (413) if it is longer than the limit, by Content-Length or as read
   */
  byte[] read(Request request) throws RequestException {
    long declared = request.getLength();
    if (declared > maxBytes) {
      throw tooLarge(declared + " bytes");
    }
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
      if (body.length > maxBytes) {
        throw tooLarge("more than " + maxBytes + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw new RequestException(Reason.MALFORMED, "the body could not be read: " + e.getMessage(), e);
    }
  }

  private RequestException tooLarge(String found) {
    return new RequestException(Reason.TOO_LARGE, "the body must be at most " + maxBytes + " bytes, but was " + found);
  }

  /** {@return the request's media type, lower case without parameters, or "" when it has none} */
  static String mediaType(Request request) {
    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
    if (type == null) {
      return "";
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).strip().toLowerCase(java.util.Locale.ROOT);
  }

  /**
   * The parts of a {@code multipart/form-data} body, in order.
   *
   * @throws RequestException (400) if the body is not valid multipart, (413) with more parts than
   *     images accepted
   */
  List<byte[]> parts(Request request, byte[] body) throws RequestException {
    String boundary = MultiPart.extractBoundary(request.getHeaders().get(HttpHeader.CONTENT_TYPE));
    if (boundary == null || boundary.isEmpty()) {
      throw new RequestException(Reason.MALFORMED, "a multipart/form-data body needs a boundary in its Content-Type");
    }
    // count the delimiters first, so that too many images is a 413 naming the limit, not a parser error
    int delimiters = occurrences(body, ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1));
    if (delimiters - 1 > maxParts) {
      throw new RequestException(Reason.TOO_MANY_IMAGES, "the request holds " + (delimiters - 1) + " parts, but at most "
          + maxParts + " images are accepted per request");
    }
    MultiPartConfig config = new MultiPartConfig.Builder().maxParts(maxParts).maxSize(maxBytes).maxPartSize(maxBytes)
        .maxMemoryPartSize(maxBytes).useFilesForPartsWithoutFileName(false).build();
    List<byte[]> parts = new ArrayList<>();
    try (MultiPartFormData.Parts parsed = MultiPartFormData.getParts(new ByteBufferContentSource(ByteBuffer.wrap(body)),
        request, request.getHeaders().get(HttpHeader.CONTENT_TYPE), config)) {
      for (MultiPart.Part part : parsed) {
        ByteBuffer content = Content.Source.asByteBuffer(part.createContentSource());
        byte[] bytes = new byte[content.remaining()];
        content.get(bytes);
        parts.add(bytes);
      }
    } catch (IOException | RuntimeException e) {
      throw new RequestException(Reason.MALFORMED, "the multipart body could not be parsed: " + e.getMessage(), e);
    }
    if (parts.isEmpty()) {
      throw new RequestException(Reason.MALFORMED, "the multipart body holds no part");
    }
    return parts;
  }

  private static int occurrences(byte[] haystack, byte[] needle) {
    int count = 0;
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int k = 0; k < needle.length; k++) {
        if (haystack[i + k] != needle[k]) {
          continue outer;
        }
      }
      count++;
      i += needle.length - 1;
    }
    return count;
  }
}
