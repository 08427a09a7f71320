package com.campaignflow.local.sfn.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.campaignflow.local.sfn.mock.MockConfig;
import com.campaignflow.local.sfn.service.LocalStepFunctions;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.DescribeExecutionResponse;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionNotRedrivableException;
import software.amazon.awssdk.services.sfn.model.ExecutionRedriveStatus;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.GetExecutionHistoryResponse;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.HistoryEventType;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.InvalidDefinitionException;
import software.amazon.awssdk.services.sfn.model.InvalidNameException;
import software.amazon.awssdk.services.sfn.model.ListExecutionsResponse;
import software.amazon.awssdk.services.sfn.model.ListStateMachinesResponse;
import software.amazon.awssdk.services.sfn.model.SfnException;
import software.amazon.awssdk.services.sfn.model.StateMachineAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.CloudWatchLogsLogGroup;
import software.amazon.awssdk.services.sfn.model.InvalidLoggingConfigurationException;
import software.amazon.awssdk.services.sfn.model.LogDestination;
import software.amazon.awssdk.services.sfn.model.LogLevel;
import software.amazon.awssdk.services.sfn.model.LoggingConfiguration;
import software.amazon.awssdk.services.sfn.model.ResourceNotFoundException;
import software.amazon.awssdk.services.sfn.model.StateMachineDeletingException;
import software.amazon.awssdk.services.sfn.model.StateMachineDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.StateMachineStatus;
import software.amazon.awssdk.services.sfn.model.Tag;
import software.amazon.awssdk.services.sfn.model.TooManyTagsException;
import software.amazon.awssdk.services.sfn.model.ValidateStateMachineDefinitionResultCode;

/** Every action through the real AWS SDK client against a running local endpoint. */
class StepFunctionsApiIT {

    private static final String ROLE = "arn:aws:iam::123456789012:role/sfn";
    private static final String PASS = """
            {"StartAt":"Hello","States":{"Hello":{"Type":"Pass","Result":{"hello":"world"},"End":true}}}""";
    private static final String WAIT = """
            {"StartAt":"Nap","States":{"Nap":{"Type":"Wait","Seconds":3600,"End":true}}}""";
    private static final String WORK = """
            {"StartAt":"Prepare","States":{
              "Prepare":{"Type":"Pass","Result":"ready","ResultPath":"$.prepared","Next":"Work"},
              "Work":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                      "Parameters":{"FunctionName":"work","Payload.$":"$"},"End":true}}}""";
    private static final String MOCKS = """
            {"StateMachines":{"work":{"TestCases":{"FailOnce":{"Work":"DownThenUp"}}}},
             "MockedResponses":{"DownThenUp":{"0":{"Throw":{"Error":"Work.Down","Cause":"not yet"}},
                                               "1":{"Return":{"done":true}}}}}""";

    @TempDir
    static Path dir;

    private static LocalStepFunctions service;
    private static StepFunctionsHttpServer server;
    private static SfnClient sfn;

    @BeforeAll
    static void start() throws Exception {
        service = new LocalStepFunctions(LocalStepFunctions.Config.defaults(dir).withMocks(MockConfig.parse(MOCKS)));
        server = StepFunctionsHttpServer.start(new StepFunctionsService(service), "127.0.0.1", 0);
        sfn = SfnClient.builder()
                .endpointOverride(server.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    @AfterAll
    static void stop() {
        sfn.close();
        server.close();
        service.close();
    }

    private static String create(String name, String definition) {
        return sfn.createStateMachine(b -> b.name(name).definition(definition).roleArn(ROLE)).stateMachineArn();
    }

    private static DescribeExecutionResponse awaitEnd(String executionArn) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        while (true) {
            DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(executionArn));
            if (d.status() != ExecutionStatus.RUNNING || Instant.now().isAfter(deadline)) {
                return d;
            }
            Thread.sleep(20);
        }
    }

    private static String errorCode(Supplier<?> call) {
        try {
            call.get();
        } catch (SfnException e) {
            assertThat(e.statusCode()).isEqualTo(400);
            return e.awsErrorDetails().errorCode();
        }
        throw new AssertionError("expected an error");
    }

    @Test
    void stateMachines_createDescribeUpdateListDelete() {
        String arn = create("lifecycle", PASS);
        assertThat(arn).isEqualTo("arn:aws:states:us-east-1:123456789012:stateMachine:lifecycle");
        assertThat(create("lifecycle", PASS)).as("same name, same definition: the same machine").isEqualTo(arn);
        assertThatThrownBy(() -> create("lifecycle", WAIT)).isInstanceOf(StateMachineAlreadyExistsException.class);

        var described = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertThat(described.name()).isEqualTo("lifecycle");
        assertThat(described.definition()).isEqualTo(PASS);
        assertThat(described.roleArn()).isEqualTo(ROLE);
        assertThat(described.typeAsString()).isEqualTo("STANDARD");
        assertThat(described.creationDate()).isCloseTo(Instant.now(), within(60));

        var updated = sfn.updateStateMachine(b -> b.stateMachineArn(arn).definition(WAIT));
        assertThat(updated.updateDate()).isNotNull();
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).definition()).isEqualTo(WAIT);

        create("lifecycle-2", PASS);
        create("lifecycle-3", PASS);
        List<String> names = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListStateMachinesResponse page = sfn.listStateMachines(b -> b.maxResults(1).nextToken(t));
            assertThat(page.stateMachines()).hasSizeLessThanOrEqualTo(1);
            page.stateMachines().forEach(m -> names.add(m.name()));
            token = page.nextToken();
        } while (token != null);
        assertThat(names).contains("lifecycle", "lifecycle-2", "lifecycle-3").doesNotHaveDuplicates();

        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class);
    }

    @Test
    void deleteStateMachine_withAnExecutionWaiting_isDeletingUntilTheExecutionEnds() throws Exception {
        String arn = create("deleted-while-waiting", WAIT);
        String execution = sfn.startExecution(b -> b.stateMachineArn(arn).name("napping")).executionArn();

        sfn.deleteStateMachine(b -> b.stateMachineArn(arn));
        assertThat(sfn.describeStateMachine(b -> b.stateMachineArn(arn)).status())
                .isEqualTo(StateMachineStatus.DELETING);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(arn).name("another")))
                .isInstanceOf(StateMachineDeletingException.class);
        assertThat(sfn.describeExecution(b -> b.executionArn(execution)).status())
                .as("a Wait is not cut short").isEqualTo(ExecutionStatus.RUNNING);

        sfn.stopExecution(b -> b.executionArn(execution));
        assertThat(awaitEnd(execution).status()).isEqualTo(ExecutionStatus.ABORTED);
        Instant deadline = Instant.now().plusSeconds(10);
        while (service.deleting(arn) && Instant.now().isBefore(deadline)) {
            Thread.sleep(5); // the deletion follows the execution's end
        }
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn(arn)))
                .isInstanceOf(StateMachineDoesNotExistException.class);
    }

    @Test
    void tags_throughTheSdk() {
        String arn = sfn.createStateMachine(b -> b.name("tagged").definition(PASS).roleArn(ROLE)
                .tags(Tag.builder().key("team").value("growth").build())).stateMachineArn();
        sfn.tagResource(b -> b.resourceArn(arn).tags(Tag.builder().key("env").value("local").build()));
        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key, Tag::value)
                .containsExactly(tuple("team", "growth"), tuple("env", "local"));
        sfn.untagResource(b -> b.resourceArn(arn).tagKeys("team"));
        assertThat(sfn.listTagsForResource(b -> b.resourceArn(arn)).tags()).extracting(Tag::key)
                .containsExactly("env");

        String missing = "arn:aws:states:us-east-1:123456789012:stateMachine:missing";
        assertThatThrownBy(() -> sfn.listTagsForResource(b -> b.resourceArn(missing)))
                .isInstanceOf(ResourceNotFoundException.class)
                .extracting(e -> ((ResourceNotFoundException) e).resourceName()).isEqualTo(missing);
        List<Tag> tooMany = new ArrayList<>();
        for (int i = 0; i < 51; i++) {
            tooMany.add(Tag.builder().key("k" + i).value("v").build());
        }
        assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn(arn).tags(tooMany)))
                .isInstanceOf(TooManyTagsException.class);
        assertThatThrownBy(() -> sfn.tagResource(b -> b.resourceArn("not-an-arn").tags(tooMany.getFirst())))
                .isInstanceOf(InvalidArnException.class);
    }

    @Test
    void loggingAndTracingConfiguration_areKeptDescribedAndPartOfIdempotency() {
        LoggingConfiguration logging = LoggingConfiguration.builder().level(LogLevel.ERROR).includeExecutionData(true)
                .destinations(LogDestination.builder().cloudWatchLogsLogGroup(CloudWatchLogsLogGroup.builder()
                        .logGroupArn("arn:aws:logs:us-east-1:123456789012:log-group:sfn:*").build()).build())
                .build();
        String arn = sfn.createStateMachine(b -> b.name("logged").definition(PASS).roleArn(ROLE)
                .loggingConfiguration(logging).tracingConfiguration(t -> t.enabled(true))).stateMachineArn();

        var described = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertThat(described.loggingConfiguration()).isEqualTo(logging);
        assertThat(described.tracingConfiguration().enabled()).isTrue();
        assertThat(sfn.createStateMachine(b -> b.name("logged").definition(PASS).roleArn(ROLE)
                .loggingConfiguration(logging).tracingConfiguration(t -> t.enabled(true))).stateMachineArn())
                .as("the same request again").isEqualTo(arn);
        assertThatThrownBy(() -> sfn.createStateMachine(b -> b.name("logged").definition(PASS).roleArn(ROLE)))
                .as("other logging and tracing: another machine of the name")
                .isInstanceOf(StateMachineAlreadyExistsException.class);
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(arn)
                .loggingConfiguration(l -> l.level(LogLevel.ALL))))
                .isInstanceOf(InvalidLoggingConfigurationException.class);
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(arn).loggingConfiguration(l -> l
                .level(LogLevel.ALL).destinations(d -> d.cloudWatchLogsLogGroup(g -> g.logGroupArn(
                        "arn:aws:logs:us-east-1:123456789012:log-group:sfn"))))))
                .as("a log group ARN must end with :*").isInstanceOf(InvalidLoggingConfigurationException.class);

        sfn.updateStateMachine(b -> b.stateMachineArn(arn).loggingConfiguration(l -> l.level(LogLevel.OFF)));
        described = sfn.describeStateMachine(b -> b.stateMachineArn(arn));
        assertThat(described.loggingConfiguration().level()).isEqualTo(LogLevel.OFF);
        assertThat(described.loggingConfiguration().includeExecutionData()).isFalse();
        assertThat(described.tracingConfiguration().enabled()).as("not part of the update: kept").isTrue();
        assertThat(described.definition()).isEqualTo(PASS);
    }

    @Test
    void stateMachines_errorsHaveAwsShapes() {
        assertThatThrownBy(() -> create("broken", "{\"StartAt\":\"Nope\",\"States\":{}}"))
                .isInstanceOf(InvalidDefinitionException.class);
        assertThatThrownBy(() -> create("bad name", PASS)).isInstanceOf(InvalidNameException.class);
        assertThatThrownBy(() -> sfn.describeStateMachine(b -> b.stateMachineArn("not-an-arn")))
                .isInstanceOf(InvalidArnException.class);
        assertThatThrownBy(() -> sfn.updateStateMachine(b -> b.stateMachineArn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:missing").definition(PASS)))
                .isInstanceOf(StateMachineDoesNotExistException.class);
        assertThat(errorCode(() -> sfn.updateStateMachine(b -> b.stateMachineArn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:missing")))).isEqualTo("MissingRequiredParameter");
        assertThat(errorCode(() -> sfn.deleteStateMachine(b -> b.stateMachineArn(
                "arn:aws:states:us-east-1:123456789012:stateMachine:orders/mapLabel")))).isEqualTo("ValidationException");
    }

    @Test
    void validateStateMachineDefinition_reportsOkOrDiagnostics() {
        var ok = sfn.validateStateMachineDefinition(b -> b.definition(PASS));
        assertThat(ok.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.OK);
        assertThat(ok.diagnostics()).isEmpty();

        var fail = sfn.validateStateMachineDefinition(b -> b.definition(
                "{\"StartAt\":\"A\",\"States\":{\"A\":{\"Type\":\"Pass\",\"Next\":\"Missing\"}}}"));
        assertThat(fail.result()).isEqualTo(ValidateStateMachineDefinitionResultCode.FAIL);
        assertThat(fail.diagnostics()).isNotEmpty();
        assertThat(fail.diagnostics().get(0).message()).contains("Missing");
    }

    @Test
    void executions_startDescribeListHistoryAndIdempotency() throws Exception {
        String machine = create("hello", PASS);
        var started = sfn.startExecution(b -> b.stateMachineArn(machine).name("first").input("{\"a\":1}"));
        assertThat(started.executionArn()).isEqualTo("arn:aws:states:us-east-1:123456789012:execution:hello:first");
        DescribeExecutionResponse done = awaitEnd(started.executionArn());
        assertThat(done.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(done.output()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(done.input()).isEqualTo("{\"a\":1}");
        assertThat(done.stopDate()).isAfterOrEqualTo(done.startDate());
        assertThat(done.redriveStatus()).isEqualTo(ExecutionRedriveStatus.NOT_REDRIVABLE);
        assertThat(done.redriveCount()).isZero();

        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("first").input("{\"a\":2}")))
                .isInstanceOf(ExecutionAlreadyExistsException.class);
        assertThatThrownBy(() -> sfn.startExecution(b -> b.stateMachineArn(machine).name("first").input("{\"a\":1}")))
                .as("a closed execution keeps its name").isInstanceOf(ExecutionAlreadyExistsException.class);
        assertThat(errorCode(() -> sfn.startExecution(b -> b.stateMachineArn(machine).input("{not json")))).isEqualTo(
                "InvalidExecutionInput");
        assertThatThrownBy(() -> sfn.describeExecution(b -> b.executionArn(
                "arn:aws:states:us-east-1:123456789012:execution:hello:missing")))
                .isInstanceOf(ExecutionDoesNotExistException.class);

        for (int i = 0; i < 4; i++) {
            int n = i;
            awaitEnd(sfn.startExecution(b -> b.stateMachineArn(machine).name("more-" + n)).executionArn());
        }
        List<String> listed = new ArrayList<>();
        String token = null;
        do {
            String t = token;
            ListExecutionsResponse page = sfn.listExecutions(b -> b.stateMachineArn(machine).maxResults(2).nextToken(t)
                    .statusFilter(ExecutionStatus.SUCCEEDED));
            page.executions().forEach(e -> listed.add(e.name()));
            token = page.nextToken();
        } while (token != null);
        assertThat(listed).hasSize(5).doesNotHaveDuplicates();
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter(ExecutionStatus.FAILED))
                .executions()).isEmpty();
        assertThat(errorCode(() -> sfn.listExecutions(b -> b.stateMachineArn(machine).statusFilter("BOGUS"))))
                .isEqualTo("ValidationException");
        assertThat(errorCode(() -> sfn.listExecutions(b -> b.stateMachineArn(machine)
                .statusFilter(ExecutionStatus.PENDING_REDRIVE)))).as("AWS: only with a mapRunArn")
                .isEqualTo("ValidationException");

        GetExecutionHistoryResponse history = sfn.getExecutionHistory(b -> b.executionArn(started.executionArn()));
        assertThat(history.events()).extracting(HistoryEvent::type).containsExactly(
                HistoryEventType.EXECUTION_STARTED, HistoryEventType.PASS_STATE_ENTERED,
                HistoryEventType.PASS_STATE_EXITED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(history.events()).extracting(HistoryEvent::id).containsExactly(1L, 2L, 3L, 4L);
        assertThat(history.events().get(0).executionStartedEventDetails().input()).isEqualTo("{\"a\":1}");
        assertThat(history.events().get(0).executionStartedEventDetails().roleArn()).isEqualTo(ROLE);
        assertThat(history.events().get(1).stateEnteredEventDetails().name()).isEqualTo("Hello");
        assertThat(history.events().get(2).stateExitedEventDetails().output()).isEqualTo("{\"hello\":\"world\"}");
        assertThat(history.events().get(3).executionSucceededEventDetails().output())
                .isEqualTo("{\"hello\":\"world\"}");

        var firstPage = sfn.getExecutionHistory(b -> b.executionArn(started.executionArn()).maxResults(3)
                .reverseOrder(true));
        assertThat(firstPage.events()).extracting(HistoryEvent::id).containsExactly(4L, 3L, 2L);
        var secondPage = sfn.getExecutionHistory(b -> b.executionArn(started.executionArn()).maxResults(3)
                .reverseOrder(true).nextToken(firstPage.nextToken()));
        assertThat(secondPage.events()).extracting(HistoryEvent::id).containsExactly(1L);
        assertThat(secondPage.nextToken()).isNull();
        assertThat(errorCode(() -> sfn.getExecutionHistory(b -> b.executionArn(started.executionArn())
                .nextToken("garbage!")))).isEqualTo("InvalidToken");
    }

    @Test
    void stopExecution_abortsAndRecordsTheEvent() throws Exception {
        String machine = create("sleepy", WAIT);
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("nap")).executionArn();
        var stopped = sfn.stopExecution(b -> b.executionArn(arn).error("Operator.Stop").cause("enough"));
        assertThat(stopped.stopDate()).isNotNull();

        DescribeExecutionResponse d = sfn.describeExecution(b -> b.executionArn(arn));
        assertThat(d.status()).isEqualTo(ExecutionStatus.ABORTED);
        assertThat(d.error()).isEqualTo("Operator.Stop");
        assertThat(d.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);
        List<HistoryEvent> events = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
        assertThat(events.get(events.size() - 1).type()).isEqualTo(HistoryEventType.EXECUTION_ABORTED);
        assertThat(events.get(events.size() - 1).executionAbortedEventDetails().cause()).isEqualTo("enough");
        assertThatThrownBy(() -> sfn.stopExecution(b -> b.executionArn("arn:aws:sns:us-east-1:1:x")))
                .isInstanceOf(InvalidArnException.class);
    }

    @Test
    void redriveExecution_restartsTheFailedStateWithMocksCountingAcrossRedrives() throws Exception {
        String machine = create("work", WORK);
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine + "#FailOnce").name("w1")).executionArn();
        DescribeExecutionResponse failed = awaitEnd(arn);
        assertThat(failed.status()).isEqualTo(ExecutionStatus.FAILED);
        assertThat(failed.error()).isEqualTo("Work.Down");
        assertThat(failed.redriveStatus()).isEqualTo(ExecutionRedriveStatus.REDRIVABLE);

        Instant redriveDate = sfn.redriveExecution(b -> b.executionArn(arn).clientToken("t-1")).redriveDate();
        DescribeExecutionResponse redriven = awaitEnd(arn);
        assertThat(redriven.status()).isEqualTo(ExecutionStatus.SUCCEEDED);
        assertThat(redriven.output()).isEqualTo("{\"done\":true}");
        assertThat(redriven.redriveCount()).isEqualTo(1);
        assertThat(redriven.redriveDate()).isEqualTo(redriveDate);
        assertThat(redriven.redriveStatusReason()).contains("SUCCEEDED");
        assertThat(sfn.redriveExecution(b -> b.executionArn(arn).clientToken("t-1")).redriveDate())
                .as("the same clientToken is the same redrive").isEqualTo(redriveDate);
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(arn).clientToken("t-2")))
                .isInstanceOf(ExecutionNotRedrivableException.class);

        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).redriveFilter("REDRIVEN")).executions())
                .extracting(e -> e.name()).containsExactly("w1");
        assertThat(sfn.listExecutions(b -> b.stateMachineArn(machine).redriveFilter("NOT_REDRIVEN")).executions())
                .isEmpty();
        List<HistoryEvent> events = sfn.getExecutionHistory(b -> b.executionArn(arn)).events();
        assertThat(events).extracting(HistoryEvent::type).containsSubsequence(
                HistoryEventType.PASS_STATE_EXITED, HistoryEventType.TASK_FAILED, HistoryEventType.EXECUTION_FAILED,
                HistoryEventType.EXECUTION_REDRIVEN, HistoryEventType.TASK_STATE_ENTERED,
                HistoryEventType.TASK_SUCCEEDED, HistoryEventType.EXECUTION_SUCCEEDED);
        assertThat(events).filteredOn(e -> e.type() == HistoryEventType.PASS_STATE_ENTERED).as("not re-run")
                .hasSize(1);
        HistoryEvent redrivenEvent = events.stream().filter(e -> e.type() == HistoryEventType.EXECUTION_REDRIVEN)
                .findFirst().orElseThrow();
        assertThat(redrivenEvent.executionRedrivenEventDetails().redriveCount()).isEqualTo(1);
        assertThatThrownBy(() -> sfn.redriveExecution(b -> b.executionArn(
                "arn:aws:states:us-east-1:123456789012:execution:work:nope")))
                .isInstanceOf(ExecutionDoesNotExistException.class);
    }

    @Test
    void describeStateMachineForExecution_returnsTheRevisionTheExecutionRuns() throws Exception {
        String machine = create("versioned", PASS);
        String arn = sfn.startExecution(b -> b.stateMachineArn(machine).name("v1")).executionArn();
        awaitEnd(arn);
        sfn.updateStateMachine(b -> b.stateMachineArn(machine).definition(WAIT));

        var forExecution = sfn.describeStateMachineForExecution(b -> b.executionArn(arn));
        assertThat(forExecution.stateMachineArn()).isEqualTo(machine);
        assertThat(forExecution.definition()).isEqualTo(PASS);
        assertThat(forExecution.name()).isEqualTo("versioned");
        assertThat(forExecution.updateDate()).isNotNull();
    }

    private static org.assertj.core.data.TemporalUnitOffset within(long seconds) {
        return new org.assertj.core.data.TemporalUnitWithinOffset(seconds, java.time.temporal.ChronoUnit.SECONDS);
    }

}
