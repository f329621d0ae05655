package org.drift4j.serve;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;

/**
 * CloudEvents 1.0 in HTTP binary mode, as KServe's and Seldon's payload loggers send them: the
 * attributes in {@code ce-*} headers (names matched without regard to case), the event's data as
 * the body with its Content-Type. Stateless.
 */
final class CloudEvents {

  /** The attributes the spec defines; every other {@code ce-*} header is an extension, copied to replies. */
  private static final Set<String> CORE = Set.of("specversion", "id", "source", "type", "datacontenttype",
      "dataschema", "subject", "time");
  /** W3C trace context, which alibi-detect's server also handed on. */
  private static final Set<String> TRACE = Set.of("traceparent", "tracestate");

  /** What an incoming event is about. */
  enum Kind {
    /** An inference request: its data holds the images. */
    REQUEST,
    /** An inference response ({@code *.inference.response}): the model's predictions, no images. */
    RESPONSE,
    /** Seldon's feedback events ({@code *.feedback}). */
    FEEDBACK
  }

  /**
   * An incoming event's attributes.
   *
   * @param id the event id, echoed by the reply
   * @param type the event type
   * @param source the event source
   * @param forwarded the extensions (header name to value), with the trace context
   */
  record Incoming(String id, String type, String source, Map<String, String> forwarded) {

    Kind kind() {
      String t = type.toLowerCase(Locale.ROOT);
      if (t.endsWith(".inference.response")) {
        return Kind.RESPONSE;
      }
      return t.endsWith(".feedback") ? Kind.FEEDBACK : Kind.REQUEST;
    }
  }

  private CloudEvents() {}

  /**
   * Reads a binary-mode event's attributes.
   *
   * @throws RequestException (400) if a required attribute is missing or the spec version is not 1.0
   */
  static Incoming read(HttpFields headers) throws RequestException {
    String specversion = headers.get("ce-specversion");
    if (specversion == null) {
      throw new RequestException(Reason.INVALID_CLOUDEVENT, "POST / takes CloudEvents in binary mode (ce-* headers),"
          + " but ce-specversion is missing; send plain payloads to /v2/models/<name>/infer");
    }
    if (!specversion.equals("1.0")) {
      throw new RequestException(Reason.INVALID_CLOUDEVENT, "ce-specversion must be 1.0, but was " + specversion);
    }
    Map<String, String> forwarded = new LinkedHashMap<>();
    for (HttpField field : headers) {
      String name = field.getLowerCaseName();
      if ((name.startsWith("ce-") && !CORE.contains(name.substring(3))) || TRACE.contains(name)) {
        forwarded.put(name, field.getValue());
      }
    }
    return new Incoming(required(headers, "ce-id"), required(headers, "ce-type"), required(headers, "ce-source"),
        forwarded);
  }

  private static String required(HttpFields headers, String name) throws RequestException {
    String value = headers.get(name);
    if (value == null || value.isEmpty()) {
      throw new RequestException(Reason.INVALID_CLOUDEVENT, "a CloudEvent must have a non-empty " + name
          + " header, but it was " + (value == null ? "missing" : "empty"));
    }
    return value;
  }

  /**
   * The headers of the reply event: the incoming id, the server's type and source, the incoming
   * extensions; as alibi-detect's server answered (no ce-time, data as application/json).
   */
  static Map<String, String> replyHeaders(Incoming in, String type, String source) {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("ce-specversion", "1.0");
    out.put("ce-id", in.id());
    out.put("ce-type", type);
    out.put("ce-source", source);
    out.putAll(in.forwarded());
    return out;
  }
}
