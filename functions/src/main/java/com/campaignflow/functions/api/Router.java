package com.campaignflow.functions.api;

import com.campaignflow.functions.api.exceptions.MethodNotAllowedException;
import com.campaignflow.functions.api.exceptions.RouteNotFoundException;
import com.campaignflow.functions.planning.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the {@link ApiRoute} of a request. Matching is on the raw path as API Gateway REST APIs deliver it (still
 * percent-encoded, so {@code wf-abc%2Fcheckpoint_002} is one segment); each parameter is then percent-decoded exactly
 * once. What the decoded value may contain is for the domain's validators to say ({@code %2e%2e} becomes {@code ..}
 * and is refused there; a double-encoded {@code %252e} becomes {@code %2e} and is refused too).
 */
public final class Router {

    /** A matched route and its decoded path parameters. */
    public record Match(ApiRoute route, Map<String, String> parameters) {

        public String parameter(String name) {
            return parameters.get(name);
        }
    }

    private Router() {
    }

    public static Match route(String method, String rawPath) {
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        List<String> segments = segments(path);
        List<String> allowed = new ArrayList<>();
        for (ApiRoute route : ApiRoute.values()) {
            List<String[]> raw = route.match(segments);
            if (raw == null) {
                continue;
            }
            if (!route.method().equalsIgnoreCase(method)) {
                allowed.add(route.method());
                continue;
            }
            Map<String, String> parameters = new LinkedHashMap<>();
            for (String[] p : raw) {
                parameters.put(p[0], decodeOnce(p[0], p[1]));
            }
            return new Match(route, parameters);
        }
        if (!allowed.isEmpty()) {
            throw new MethodNotAllowedException(method, path, allowed);
        }
        throw new RouteNotFoundException(method, path);
    }

    private static List<String> segments(String path) {
        String trimmed = path.startsWith("/") ? path.substring(1) : path;
        if (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return Arrays.asList(trimmed.split("/", -1));
    }

    /**
     * Decodes {@code %XX} escapes (UTF-8) once; '+' stays '+' (paths are not form data). A malformed escape or bytes
     * that are not UTF-8 are a 400 naming the parameter.
     */
    static String decodeOnce(String name, String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            int c = raw.codePointAt(i);
            if (c != '%') {
                byte[] utf8 = new String(Character.toChars(c)).getBytes(StandardCharsets.UTF_8);
                bytes.write(utf8, 0, utf8.length);
                i += Character.charCount(c) - 1;
                continue;
            }
            if (i + 2 >= raw.length() || Character.digit(raw.charAt(i + 1), 16) < 0
                    || Character.digit(raw.charAt(i + 2), 16) < 0) {
                throw new InvalidRequestException(name, "has a malformed percent-escape at position " + i);
            }
            bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
            i += 2;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidRequestException(name, "is not valid UTF-8 once percent-decoded");
        }
    }
}
