package com.campaignflow.local.cloud;

import static org.assertj.core.api.Assertions.assertThat;

import com.campaignflow.local.gateway.LocalAwsCredentials;
import com.campaignflow.local.template.LocalArns;
import com.campaignflow.local.template.SamFunction;
import com.campaignflow.local.template.SamTemplate;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** template.yaml as the local cloud resolves it for its functions (the jar's embedded copy). */
class LocalEnvironmentTest {

    private static final LocalCloud.Options OPTIONS = new LocalCloud.Options(Path.of("/tmp/cf-data"),
            "researcher:once", "local=key-0000001", 4567, new PrintStream(OutputStream.nullOutputStream()),
            Duration.ofMinutes(1));

    private static final LocalAwsCredentials CREDENTIALS = LocalAwsCredentials.generate();

    private final SamTemplate template = LocalCloud.withLocalEnvironment(LocalCloud.parseTemplate(4567), OPTIONS, 4567,
            CREDENTIALS);

    @Test
    void apiFunction_getsLocalArnsAndEndpoints_andNoTables() throws Exception {
        Map<String, String> env = template.function("ApiFunction").orElseThrow().environment();

        assertThat(env).containsEntry("STATE_MACHINE_ARN",
                "arn:aws:states:us-east-1:000000000000:stateMachine:campaignflow-workflow");
        assertThat(env).containsEntry("AWS_ENDPOINT_URL_SFN", "http://127.0.0.1:4567");
        assertThat(env).containsEntry("WEBSOCKET_ENDPOINT", "http://localhost:4567");
        assertThat(env).containsEntry("CAMPAIGNFLOW_DATA_DIR", "/tmp/cf-data");
        assertThat(env).containsEntry("CAMPAIGNFLOW_FAULTS", "researcher:once");
        assertThat(env).containsEntry("API_KEYS", "local=key-0000001");
        assertThat(env).containsEntry("STATE_MACHINE_PREFIX", "campaignflow-plan-");
        assertThat(env).doesNotContainKeys("CAMPAIGNS_TABLE", "CHECKPOINT_BUCKET", "CONNECTIONS_TABLE",
                "JAVA_TOOL_OPTIONS");
        JsonNode arns = new ObjectMapper().readTree(env.get("AGENT_FUNCTION_ARNS"));
        assertThat(arns.get("PlannerFunctionArn").asText()).isEqualTo(LocalArns.functionArn("PlannerFunction"));
        assertThat(arns.get("BasicQaFunctionArn").asText()).isEqualTo(LocalArns.functionArn("BasicQaFunction"));
    }

    @Test
    void everyFunction_seesTheDataDirectoryAndTheLocalCredentials() {
        for (SamFunction f : template.functions().values()) {
            assertThat(f.environment()).as(f.logicalId())
                    .containsEntry("CAMPAIGNFLOW_DATA_DIR", "/tmp/cf-data")
                    .containsEntry("AWS_REGION", "us-east-1")
                    .containsEntry("AWS_ACCESS_KEY_ID", CREDENTIALS.accessKeyId()) // what the gateway's AWS APIs take
                    .containsEntry("AWS_SECRET_ACCESS_KEY", CREDENTIALS.secretAccessKey())
                    .containsKey("API_KEYS");
        }
        assertThat(template.function("HealthCheckFunction").orElseThrow().scheduleEvents()).isNotEmpty();
        assertThat(template.restAuthorizer().orElseThrow().functionLogicalId()).isEqualTo("AuthorizerFunction");
    }

    @Test
    void fsyncFalse_reachesEveryFunction_andTheDefaultSetsNothing() {
        assertThat(template.functions().values()).allSatisfy(f ->
                assertThat(f.environment()).doesNotContainKey("CAMPAIGNFLOW_FSYNC"));

        SamTemplate unsynced = LocalCloud.withLocalEnvironment(LocalCloud.parseTemplate(4567),
                OPTIONS.withFsync(false), 4567, CREDENTIALS);

        assertThat(unsynced.functions().values()).allSatisfy(f ->
                assertThat(f.environment()).as(f.logicalId()).containsEntry("CAMPAIGNFLOW_FSYNC", "false"));
    }

    @Test
    void defaultDefinition_hasEveryPlaceholderReplacedByALocalFunctionArn() {
        String definition = LocalCloud.substitute(LocalCloud.defaultDefinition());

        assertThat(definition).doesNotContain("${");
        assertThat(definition).contains("\"arn:aws:lambda:us-east-1:000000000000:function:PlannerFunction\"",
                "\"arn:aws:lambda:us-east-1:000000000000:function:BasicResearchFunction\"");
    }

    @Test
    void schedules_fireAtTheirRate_orTheTestPeriod_andACronScheduleIsNotRunButSaidSo() {
        SamFunction health = template.function("HealthCheckFunction").orElseThrow();
        SamFunction.ScheduleEvent everyMinute = health.scheduleEvents().getFirst();
        java.io.ByteArrayOutputStream log = new java.io.ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true);

        assertThat(everyMinute.expression()).isEqualTo("rate(1 minute)");
        assertThat(LocalCloud.firingPeriod(health, everyMinute, null, out)).contains(Duration.ofMinutes(1));
        assertThat(LocalCloud.firingPeriod(health, new SamFunction.ScheduleEvent("Hourly", "rate(1 hour)", true), null, out))
                .contains(Duration.ofHours(1));
        assertThat(LocalCloud.firingPeriod(health, new SamFunction.ScheduleEvent("Days", "rate(2 days)", true), null, out))
                .contains(Duration.ofDays(2));
        assertThat(LocalCloud.firingPeriod(health, everyMinute, Duration.ofMillis(200), out)).contains(Duration.ofMillis(200));
        assertThat(LocalCloud.firingPeriod(health, new SamFunction.ScheduleEvent("Off", "rate(1 minute)", false), null, out))
                .isEmpty();
        assertThat(log.toString()).isEmpty();

        assertThat(LocalCloud.firingPeriod(health, new SamFunction.ScheduleEvent("Noon", "cron(0 12 * * ? *)", true),
                Duration.ofMillis(200), out)).isEmpty();
        assertThat(log.toString()).contains("warning: HealthCheckFunction (schedule Noon): cron(0 12 * * ? *) is not run"
                + " by the local cloud");
    }
}
