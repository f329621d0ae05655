package org.drift4j.serve;

import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.drift4j.ImageBatch;
import org.drift4j.serve.Replies.Reply;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one Jetty handler: routes each request by method and path, reads and scores it,
 * and answers JSON; every refusal is counted by reason. Blocking (scoring runs on Jetty's request
 * threads). Thread-safe.
 */
final class Routes extends Handler.Abstract {

  private static final Logger LOG = LoggerFactory.getLogger(Routes.class);
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final Settings settings;
  private final Judge judge;
  private final Bodies bodies;
  private final Payloads payloads;
  private final ImageDecoding decoding;
  private final ServeMetrics metrics;
  private final Descriptions descriptions;
  private final BooleanSupplier ready;

  /**
   * What the routes need to know of the server's configuration.
   *
   * @param modelName the name in {@code /v2/models/<name>}
   * @param maxImages images accepted per request
   * @param cloudEventType the reply events' type
   * @param cloudEventSource the reply events' source
   * @param version Drift4j's version
   */
  record Settings(String modelName, int maxImages, String cloudEventType, String cloudEventSource, String version) {}

  Routes(Settings settings, Judge judge, Bodies bodies, Payloads payloads, ImageDecoding decoding, ServeMetrics metrics,
      Descriptions descriptions, BooleanSupplier ready) {
    this.settings = settings;
    this.judge = judge;
    this.bodies = bodies;
    this.payloads = payloads;
    this.decoding = decoding;
    this.metrics = metrics;
    this.descriptions = descriptions;
    this.ready = ready;
  }

  @Override
  public boolean handle(Request request, Response response, Callback callback) {
    long start = System.nanoTime();
    String path = Request.getPathInContext(request);
    String method = request.getMethod();
    Endpoint endpoint = Endpoint.OTHER;
    Reply reply;
    try {
      endpoint = endpoint(path);
      reply = dispatch(endpoint, method, path, request);
    } catch (RequestException e) {
      metrics.rejected(e.reason());
      reply = Replies.error(e);
      if (e.reason() == Reason.METHOD_NOT_ALLOWED) {
        reply = reply.withHeaders(Map.of("Allow", allowed(endpoint)));
      }
    } catch (RuntimeException e) {
      LOG.error("drift4j serve: {} {} failed", method, path, e);
      metrics.rejected(Reason.INTERNAL);
      reply = Replies.error(new RequestException(Reason.INTERNAL, "internal error: " + e));
    }
    response.setStatus(reply.status());
    if (reply.contentType() != null) {
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, reply.contentType());
    }
    reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
    response.write(true, ByteBuffer.wrap(reply.body()), callback);
    metrics.request(endpoint, reply.status(), Duration.ofNanos(System.nanoTime() - start));
    return true;
  }

  private Endpoint endpoint(String path) {
    return switch (path) {
      case "/" -> Endpoint.CLOUDEVENT;
      case "/v1/observe" -> Endpoint.OBSERVE;
      case "/v1/check" -> Endpoint.CHECK;
      case "/v1/status" -> Endpoint.STATUS;
      case "/metrics" -> Endpoint.METRICS;
      case "/health/live", "/health/ready", "/v2/health/live", "/v2/health/ready" -> Endpoint.HEALTH;
      case "/v2" -> Endpoint.METADATA;
      default -> path.startsWith("/v2/models/") ? modelEndpoint(path) : Endpoint.OTHER;
    };
  }

  /** {@code /v2/models/<name>[/versions/<v>][/ready|/infer]}. */
  private static Endpoint modelEndpoint(String path) {
    if (path.endsWith("/infer")) {
      return Endpoint.INFER;
    }
    return path.endsWith("/ready") ? Endpoint.HEALTH : Endpoint.METADATA;
  }

  private static String allowed(Endpoint endpoint) {
    return switch (endpoint) {
      case CLOUDEVENT, OBSERVE, CHECK, INFER -> "POST";
      default -> "GET";
    };
  }

  private Reply dispatch(Endpoint endpoint, String method, String path, Request request) throws RequestException {
    String expected = allowed(endpoint);
    if (endpoint == Endpoint.OTHER) {
      throw new RequestException(Reason.NOT_FOUND, "no endpoint " + method + " " + path + "; the endpoints are POST /,"
          + " POST /v2/models/" + settings.modelName() + "/infer, POST /v1/observe, POST /v1/check, GET /v1/status,"
          + " GET /metrics, GET /health/live, GET /health/ready");
    }
    if (path.startsWith("/v2/models/")) {
      requireModel(path);
    }
    if (!method.equals(expected)) {
      throw new RequestException(Reason.METHOD_NOT_ALLOWED, path + " takes " + expected + ", not " + method);
    }
    return switch (endpoint) {
      case CLOUDEVENT -> cloudEvent(request);
      case INFER -> infer(request);
      case OBSERVE -> images(request, true);
      case CHECK -> images(request, false);
      case STATUS -> Reply.json(200, descriptions.status(ready.getAsBoolean()));
      case METRICS -> new Reply(200, PROMETHEUS_TEXT, descriptions.scrape().getBytes(StandardCharsets.UTF_8), Map.of());
      case HEALTH -> health(path);
      case METADATA -> metadata(path);
      case OTHER -> throw new IllegalStateException(path);
    };
  }

  private Reply infer(Request request) throws RequestException {
    byte[] body = bodies.read(request);
    Fields query = Request.extractQueryParameters(request);
    Payloads.Parsed parsed = payloads.read(body, query.getValue("layout"));
    Verdict verdict = judge.observe(parsed.batch());
    return Reply.json(200, Replies.inferResponse(settings.modelName(), parsed.id(), verdict));
  }

  private Reply cloudEvent(Request request) throws RequestException {
    CloudEvents.Incoming event = CloudEvents.read(request.getHeaders());
    byte[] body = bodies.read(request);
    if (event.kind() != CloudEvents.Kind.REQUEST) {
      metrics.ignored(event.kind());
      return Reply.empty(200);
    }
    String type = Bodies.mediaType(request);
    ImageBatch batch;
    if (type.isEmpty() || type.equals("application/json") || type.endsWith("+json")) {
      batch = payloads.read(body, null).batch();
    } else if (type.startsWith("image/") || type.equals("application/octet-stream")) {
      batch = decoding.batch(List.of(decoding.decode(body, "the event's data")));
    } else {
      throw new RequestException(Reason.UNSUPPORTED_MEDIA_TYPE, "the event's Content-Type must be application/json"
          + " (a v2 or v1 inference request) or an image type, but was " + type);
    }
    Verdict verdict = judge.observe(batch);
    return Reply.json(200, Replies.cloudEventData(verdict, settings.version()))
        .withHeaders(CloudEvents.replyHeaders(event, settings.cloudEventType(), settings.cloudEventSource()));
  }

  private Reply images(Request request, boolean observe) throws RequestException {
    String type = Bodies.mediaType(request);
    List<BufferedImage> images = new ArrayList<>();
    if (type.equals("multipart/form-data")) {
      byte[] body = bodies.read(request);
      List<byte[]> parts = bodies.parts(request, body);
      for (int i = 0; i < parts.size(); i++) {
        images.add(decoding.decode(parts.get(i), "part " + i));
      }
    } else if (type.startsWith("image/") || type.equals("application/octet-stream") || type.isEmpty()) {
      images.add(decoding.decode(bodies.read(request), "the body"));
    } else {
      throw new RequestException(Reason.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be image/png, image/jpeg or"
          + " multipart/form-data (one image per part), but was " + type);
    }
    ImageBatch batch = decoding.batch(images);
    Verdict verdict = observe ? judge.observe(batch) : judge.check(batch);
    return new Reply(200, "application/json", verdict.json().getBytes(StandardCharsets.UTF_8), Map.of());
  }

  private Reply health(String path) throws RequestException {
    if (path.endsWith("/live")) {
      return Reply.json(200, Replies.flag("live", true));
    }
    boolean isReady = ready.getAsBoolean();
    if (path.startsWith("/v2/models/")) {
      return Reply.json(isReady ? 200 : 503, descriptions.modelReady(isReady));
    }
    return Reply.json(isReady ? 200 : 503, Replies.flag("ready", isReady));
  }

  private Reply metadata(String path) throws RequestException {
    if (path.equals("/v2")) {
      return Reply.json(200, descriptions.serverMetadata());
    }
    return Reply.json(200, descriptions.modelMetadata());
  }

  /** Checks {@code /v2/models/<name>[/versions/<v>][/<verb>]} names this server's model. */
  private void requireModel(String path) throws RequestException {
    String[] parts = path.substring("/v2/models/".length()).split("/", -1);
    String name = parts[0];
    boolean shaped = switch (parts.length) {
      case 1 -> true;
      case 2 -> parts[1].equals("ready") || parts[1].equals("infer");
      case 3 -> parts[1].equals("versions") && !parts[2].isEmpty();
      case 4 -> parts[1].equals("versions") && !parts[2].isEmpty() && (parts[3].equals("ready")
          || parts[3].equals("infer"));
      default -> false;
    };
    if (!shaped || name.isEmpty()) {
      throw new RequestException(Reason.NOT_FOUND, "no endpoint " + path + "; model paths are /v2/models/<name>"
          + "[/versions/<v>][/ready|/infer]");
    }
    if (!name.equals(settings.modelName())) {
      throw new RequestException(Reason.NOT_FOUND, "Model with name " + name + " does not exist.");
    }
  }
}
