package com.campaignflow.functions.aws;

import java.util.Map;
import java.util.Optional;

/**
 * A wire-compatible AWS emulator the adapter integration tests can run against: moto server (the default, started
 * by the build from PyPI) or LocalStack through Testcontainers ({@code -Plocalstack}). See {@link AwsEmulator}.
 */
interface EmulatorBackend {

    /** Name for messages, e.g. "moto server". */
    String name();

    /** Why this backend cannot run here (no Docker engine, ...), or empty when it can. */
    Optional<String> unavailableReason();

    /** Starts the emulator; closing the result stops it. */
    Started start();

    /** A running emulator. */
    interface Started extends AutoCloseable {

        /**
         * The standard SDK variables that point a function at it: AWS_REGION, AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID,
         * AWS_SECRET_ACCESS_KEY (account 123456789012 on every backend, so ARNs are the same).
         */
        Map<String, String> environment();

        @Override
        void close();
    }
}
