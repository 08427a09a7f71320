package com.campaignflow.local.template;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What the local cloud needs from template.yaml: the functions (Globals merged, environment resolved), the REST
 * routes, the WebSocket routes and the authorizers.
 *
 * @param functions          by logical id, in template order
 * @param webSocketRoutes    route key ({@code $connect}, {@code $disconnect}, {@code $default}, {@code subscribe} ...)
 *                           to function logical id
 * @param webSocketRouteResponses the route keys whose function's response goes back to the client (two-way routes:
 *                           a RouteResponseSelectionExpression and a RouteResponse); other routes answer nothing
 * @param cors               the REST API's CORS preflight configuration, if any
 * @param gatewayResponses   the REST API's GatewayResponses by response type ({@code UNAUTHORIZED}, {@code DEFAULT_4XX} ...)
 * @param webSocketRouteSelection the WebSocket API's RouteSelectionExpression ({@code $request.body.action})
 */
public record SamTemplate(
        Map<String, SamFunction> functions,
        List<RestRoute> restRoutes,
        String restStage,
        Optional<CorsConfig> cors,
        Map<String, GatewayResponse> gatewayResponses,
        Map<String, String> webSocketRoutes,
        Set<String> webSocketRouteResponses,
        Optional<Authorizer> webSocketAuthorizer,
        String webSocketStage,
        String webSocketRouteSelection) {

    public SamTemplate {
        functions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(functions));
        restRoutes = List.copyOf(restRoutes);
        gatewayResponses = Map.copyOf(gatewayResponses);
        webSocketRoutes = Map.copyOf(webSocketRoutes);
        webSocketRouteResponses = Set.copyOf(webSocketRouteResponses);
    }

    public static SamTemplate parse(Path template, IntrinsicResolver resolver) {
        try (Reader reader = Files.newBufferedReader(template)) {
            return parse(reader, resolver);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read template " + template, e);
        }
    }

    public static SamTemplate parse(Reader template, IntrinsicResolver resolver) {
        return new SamTemplateParser(CloudFormationYaml.load(template), resolver).parse();
    }

    public Optional<SamFunction> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    /** The REST authorizer, if any route uses one (all routes of one API share it). */
    public Optional<Authorizer> restAuthorizer() {
        return restRoutes.stream().flatMap(r -> r.authorizer().stream()).findFirst();
    }
}
