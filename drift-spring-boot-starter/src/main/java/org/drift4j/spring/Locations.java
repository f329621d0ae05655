package org.drift4j.spring;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import org.springframework.core.io.ClassPathResource;
import org.springframework.core.io.Resource;

/**
 * How a resource is named in messages and health details: its URL without user information,
 * query or fragment, which may hold credentials (a pre-signed URL's signature), and a class-path
 * resource by its path.
 */
final class Locations {

  private Locations() {}

  static String describe(Resource resource) {
    if (resource instanceof ClassPathResource c) {
      return "classpath:" + c.getPath();
    }
    try {
      return withoutSecrets(resource.getURL());
    } catch (IOException | RuntimeException e) {
      return resource.getDescription();
    }
  }

  static String withoutSecrets(URL url) {
    try {
      URI uri = url.toURI();
      if (uri.isOpaque()) {
        return uri.getScheme() + ":" + withoutQuery(uri.getSchemeSpecificPart());
      }
      return new URI(uri.getScheme(), null, uri.getHost(), uri.getPort(), uri.getPath(), null, null).toString();
    } catch (URISyntaxException e) {
      return url.getProtocol() + ":" + withoutQuery(url.getPath());
    }
  }

  private static String withoutQuery(String part) {
    int q = part.indexOf('?');
    return q < 0 ? part : part.substring(0, q);
  }
}
