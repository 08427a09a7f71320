package com.campaignflow.functions.aws;

import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The emulator behind the AWS adapter integration tests ({@code @ExtendWith(AwsEmulator.class)}, then
 * {@link #clients()}): one per JVM, stopped when the test plan ends.
 *
 * <p>By default it is {@link MotoServer}. With {@code -Dcampaignflow.aws.emulator=localstack}, which the
 * {@code -Plocalstack} Maven profile sets, the same tests run against LocalStack in a container
 * ({@code LocalStackBackend}, compiled only in that profile, loaded by name here so the default build needs no
 * Testcontainers). LocalStack needs a Docker engine and {@code LOCALSTACK_AUTH_TOKEN}; where either is missing the
 * tests are skipped, with the reason both as the assumption message and as one line in the build log.
 */
public final class AwsEmulator implements BeforeAllCallback, BeforeEachCallback {

    static final String PROPERTY = "campaignflow.aws.emulator";
    static final String TOKEN_VARIABLE = "LOCALSTACK_AUTH_TOKEN";
    static final String LOCALSTACK_BACKEND = "com.campaignflow.functions.aws.LocalStackBackend";

    private static volatile Running running;
    private static volatile String skipped;

    /** What this JVM runs the integration tests against. */
    sealed interface Choice {
        record Run(EmulatorBackend backend) implements Choice {
        }

        record Skip(String reason) implements Choice {
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.create(AwsEmulator.class))
                .getOrComputeIfAbsent(Closer.class, key -> start(), Closer.class);
    }

    /** Each test of a skipped run is reported skipped, with the reason as its assumption message. */
    @Override
    public void beforeEach(ExtensionContext context) {
        String reason = skipped;
        Assumptions.assumeTrue(reason == null, () -> reason);
    }

    /** The running emulator's endpoint. */
    public static URI endpoint() {
        return URI.create(environment().get("AWS_ENDPOINT_URL"));
    }

    /** The SDK variables pointing at the emulator (region us-east-1, account 123456789012, static credentials). */
    public static Map<String, String> environment() {
        return require().started().environment();
    }

    /** Production clients pointed at the emulator, configured from {@link #environment()}. */
    public static AwsClients clients() {
        return require().clients();
    }

    /**
     * The backend {@code emulator} (the system property; null or "moto" = moto server) selects, or why the tests
     * must be skipped.
     */
    static Choice choose(String emulator, Function<String, Optional<String>> env, Supplier<EmulatorBackend> localStack) {
        if (emulator == null || emulator.isBlank() || emulator.equals("moto")) {
            return new Choice.Run(new MotoServer());
        }
        if (!emulator.equals("localstack")) {
            throw new ExtensionConfigurationException(PROPERTY + " must be moto or localstack, got '" + emulator + "'");
        }
        if (env.apply(TOKEN_VARIABLE).filter(t -> !t.isBlank()).isEmpty()) {
            return new Choice.Skip("LocalStack integration tests skipped: " + TOKEN_VARIABLE + " is not set "
                    + "(LocalStack images need an auth token; export it and run with -Plocalstack again)");
        }
        EmulatorBackend backend = localStack.get();
        return backend.unavailableReason()
                .<Choice>map(reason -> new Choice.Skip("LocalStack integration tests skipped: " + reason))
                .orElseGet(() -> new Choice.Run(backend));
    }

    private static synchronized Closer start() {
        Choice choice = choose(System.getProperty(PROPERTY), name -> Optional.ofNullable(System.getenv(name)),
                AwsEmulator::loadLocalStack);
        switch (choice) {
            case Choice.Skip skip -> {
                skipped = skip.reason();
                // the assumption message lands in the test report; this line in the build log
                System.out.println("[campaignflow] " + skip.reason());
                return new Closer(null);
            }
            case Choice.Run run -> {
                EmulatorBackend.Started started = run.backend().start();
                Map<String, String> env = started.environment();
                running = new Running(started, AwsClients.fromEnvironment(name -> Optional.ofNullable(env.get(name))));
                return new Closer(started);
            }
        }
    }

    private static EmulatorBackend loadLocalStack() {
        try {
            return (EmulatorBackend) Class.forName(LOCALSTACK_BACKEND).getDeclaredConstructor().newInstance();
        } catch (ClassNotFoundException e) {
            throw new ExtensionConfigurationException(PROPERTY + "=localstack needs the LocalStack backend, which is "
                    + "compiled only by the localstack profile: run ./mvnw -Plocalstack -pl functions -am verify");
        } catch (ReflectiveOperationException e) {
            throw new ExtensionConfigurationException("cannot create " + LOCALSTACK_BACKEND + ": " + e, e);
        }
    }

    private static Running require() {
        Running started = running;
        if (started == null) {
            throw new IllegalStateException("no AWS emulator running: annotate the test with "
                    + "@ExtendWith(AwsEmulator.class)");
        }
        return started;
    }

    private record Running(EmulatorBackend.Started started, AwsClients clients) {
    }

    /** Stops the emulator when JUnit closes the root store (end of the test plan). */
    private record Closer(EmulatorBackend.Started started) implements AutoCloseable {
        @Override
        public void close() {
            if (started != null) {
                running = null;
                started.close();
            }
        }
    }
}
