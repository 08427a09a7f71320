package com.campaignflow.functions.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

class AwsEmulatorTest {

    private final AtomicInteger localStackLoads = new AtomicInteger();

    @Test
    void withoutTheProperty_theIntegrationTestsRunOnMoto_andLocalStackIsNeverLoaded() {
        AwsEmulator.Choice choice = AwsEmulator.choose(null, env(Map.of("LOCALSTACK_AUTH_TOKEN", "t")),
                localStack(Optional.empty()));

        assertThat(choice).isInstanceOfSatisfying(AwsEmulator.Choice.Run.class,
                run -> assertThat(run.backend()).isInstanceOf(MotoServer.class));
        assertThat(localStackLoads).hasValue(0);
    }

    @Test
    void localStackWithoutAnAuthToken_isSkipped_namingTheVariable_beforeLookingForDocker() {
        AwsEmulator.Choice choice = AwsEmulator.choose("localstack", env(Map.of()), localStack(Optional.empty()));

        assertThat(choice).isInstanceOfSatisfying(AwsEmulator.Choice.Skip.class, skip -> assertThat(skip.reason())
                .startsWith("LocalStack integration tests skipped: LOCALSTACK_AUTH_TOKEN is not set"));
        assertThat(localStackLoads).hasValue(0);
    }

    @Test
    void localStackWithABlankToken_isSkippedLikeAMissingOne() {
        AwsEmulator.Choice choice = AwsEmulator.choose("localstack", env(Map.of("LOCALSTACK_AUTH_TOKEN", "  ")),
                localStack(Optional.empty()));

        assertThat(choice).isInstanceOf(AwsEmulator.Choice.Skip.class);
    }

    @Test
    void localStackWithoutDocker_isSkipped_withTheBackendsReason() {
        AwsEmulator.Choice choice = AwsEmulator.choose("localstack", env(Map.of("LOCALSTACK_AUTH_TOKEN", "t")),
                localStack(Optional.of("no Docker engine is reachable")));

        assertThat(choice).isInstanceOfSatisfying(AwsEmulator.Choice.Skip.class, skip -> assertThat(skip.reason())
                .isEqualTo("LocalStack integration tests skipped: no Docker engine is reachable"));
    }

    @Test
    void localStackWithATokenAndDocker_runs() {
        AwsEmulator.Choice choice = AwsEmulator.choose("localstack", env(Map.of("LOCALSTACK_AUTH_TOKEN", "t")),
                localStack(Optional.empty()));

        assertThat(choice).isInstanceOfSatisfying(AwsEmulator.Choice.Run.class,
                run -> assertThat(run.backend().name()).isEqualTo("fake LocalStack"));
    }

    @Test
    void anUnknownEmulator_isAConfigurationError() {
        assertThatThrownBy(() -> AwsEmulator.choose("kinesalite", env(Map.of()), localStack(Optional.empty())))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("campaignflow.aws.emulator must be moto or localstack, got 'kinesalite'");
    }

    private static Function<String, Optional<String>> env(Map<String, String> variables) {
        return name -> Optional.ofNullable(variables.get(name));
    }

    private Supplier<EmulatorBackend> localStack(Optional<String> unavailable) {
        return () -> {
            localStackLoads.incrementAndGet();
            return new EmulatorBackend() {
                @Override
                public String name() {
                    return "fake LocalStack";
                }

                @Override
                public Optional<String> unavailableReason() {
                    return unavailable;
                }

                @Override
                public Started start() {
                    throw new UnsupportedOperationException("not started in unit tests");
                }
            };
        };
    }
}
