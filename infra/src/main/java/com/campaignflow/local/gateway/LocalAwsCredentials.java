package com.campaignflow.local.gateway;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Optional;

/**
 * The access key that the AWS APIs of a local gateway (Step Functions, Lambda Invoke, the WebSocket management API)
 * take, new for each gateway. On AWS those APIs take IAM-signed requests only; locally they share the port of the
 * tenants' REST API, so a request must be SigV4-signed with this access key id (the signature itself is not
 * checked). That keeps out a client without the key, which would otherwise reach every tenant's campaigns around
 * the API keys, and a web page (a browser sends no Authorization header to another origin without a CORS
 * preflight, which these APIs do not answer).
 */
public record LocalAwsCredentials(String accessKeyId, String secretAccessKey) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final String SIGV4 = "AWS4-HMAC-SHA256 ";

    /** A new key: an access key id of AWS's shape (20 characters, here starting "LOCL") and a 40-character secret. */
    public static LocalAwsCredentials generate() {
        return new LocalAwsCredentials("LOCL" + random(KEY_ID_ALPHABET, 16), random(SECRET_ALPHABET, 40));
    }

    private static String random(String alphabet, int length) {
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Why a request with this Authorization header is refused, or empty when it names this access key. */
    Optional<String> refusal(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            return Optional.of("Missing Authentication Token: sign the request (SigV4) with the local cloud's access"
                    + " key, which serve prints");
        }
        String credential = credentialOf(authorization);
        if (credential == null) {
            return Optional.of("the Authorization header is not an AWS Signature Version 4 one");
        }
        boolean same = MessageDigest.isEqual(credential.getBytes(StandardCharsets.UTF_8),
                accessKeyId.getBytes(StandardCharsets.UTF_8));
        return same ? Optional.empty() : Optional.of("The security token included in the request is invalid: it is"
                + " not signed with this local cloud's access key, which serve prints (new each start)");
    }

    /** The access key id of {@code AWS4-HMAC-SHA256 Credential=KEY/date/region/service/aws4_request, ...}. */
    private static String credentialOf(String authorization) {
        if (!authorization.startsWith(SIGV4)) {
            return null;
        }
        int start = authorization.indexOf("Credential=");
        if (start < 0) {
            return null;
        }
        start += "Credential=".length();
        int end = authorization.indexOf('/', start);
        return end < 0 ? null : authorization.substring(start, end).trim();
    }

    @Override
    public String toString() {
        return "LocalAwsCredentials[" + accessKeyId + "]"; // the secret stays out of logs
    }
}
