package com.campaignflow.functions.handlers;

import com.campaignflow.functions.api.ApiKeys;
import com.campaignflow.functions.api.CampaignApi;
import com.campaignflow.functions.api.ConnectionMessenger;
import com.campaignflow.functions.api.ProgressSubscriptions;
import com.campaignflow.functions.aws.AwsClients;
import com.campaignflow.functions.aws.ManagementApiMessenger;
import com.campaignflow.functions.aws.SfnWorkflowEngine;
import com.campaignflow.functions.config.EnvironmentVariables;
import com.campaignflow.functions.config.FunctionEnvironment;
import com.campaignflow.functions.orchestration.CampaignService;
import com.campaignflow.functions.orchestration.StateMachineCatalog;
import com.campaignflow.functions.planning.CampaignRequestParser;
import com.campaignflow.functions.planning.DegradationAssessor;
import com.campaignflow.functions.planning.MasterPlanner;
import com.campaignflow.functions.ports.WorkflowEngine;
import com.campaignflow.statemachine.compiler.PlanCompiler;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What the API, WebSocket and authorizer handlers need, over the agent-side {@link Services} (same stores, same
 * clock): the {@link CampaignService}, the API keys, the WebSocket subscriptions and a way to message connections.
 * Built once per container (per environment in the local cloud).
 *
 * <p>Configuration, besides what {@link Services} reads: {@code STATE_MACHINE_ARN}, {@code STATE_MACHINE_ROLE_ARN},
 * {@code STATE_MACHINE_PREFIX} (default {@code campaignflow-plan-}), {@code AGENT_FUNCTION_ARNS},
 * {@code API_KEYS} ({@code tenant=key,...}), {@code CORS_ALLOW_ORIGIN} (optional), {@code WEBSOCKET_ENDPOINT}. The
 * workflow engine is Step Functions through {@code SfnClient} (the local cloud's engine speaks the same API at
 * {@code AWS_ENDPOINT_URL_SFN}); connections are messaged through the management API at {@code WEBSOCKET_ENDPOINT}.
 */
public final class ApiServices {

    /** Everything {@link #fromEnvironment()} reads, here and through {@link Services} (the cache key). */
    private static final List<String> CONFIG_VARIABLES = EnvironmentVariables.API_SERVICES.names();
    private static final Map<Map<String, String>, ApiServices> PER_ENVIRONMENT = new ConcurrentHashMap<>();
    private static final System.Logger LOG = System.getLogger(ApiServices.class.getName());

    private final Services services;
    private final CampaignService campaigns;
    private final ApiKeys keys;
    private final Supplier<ConnectionMessenger> messenger;
    private final String corsAllowOrigin;

    /**
     * @param messenger       built on first use (only the WebSocket function messages connections)
     * @param corsAllowOrigin the dashboard origin for {@code Access-Control-Allow-Origin}, or null
     */
    public ApiServices(Services services, CampaignService campaigns, ApiKeys keys,
                       Supplier<ConnectionMessenger> messenger, String corsAllowOrigin) {
        this.services = services;
        this.campaigns = campaigns;
        this.keys = keys;
        this.messenger = memoize(messenger);
        this.corsAllowOrigin = corsAllowOrigin;
    }

    /** The orchestrator over {@code services}' stores and {@code engine}. */
    public static CampaignService campaignService(Services services, WorkflowEngine engine, String defaultStateMachineArn,
                                                  String stateMachinePrefix, Map<String, String> functionArns) {
        StateMachineCatalog catalog = new StateMachineCatalog(engine, new PlanCompiler(), defaultStateMachineArn,
                stateMachinePrefix, functionArns);
        return new CampaignService(new CampaignRequestParser(services.agents()), new MasterPlanner(new DegradationAssessor(services.clock())),
                catalog, services.health(), services.campaigns(), services.checkpoints(), services.performance(), services.progressLog(),
                engine, services.clock());
    }

    /** The services for the current function environment, built on first use and then shared. */
    public static ApiServices fromEnvironment() {
        Map<String, String> config = new LinkedHashMap<>();
        CONFIG_VARIABLES.forEach(v -> FunctionEnvironment.get(v).ifPresent(value -> config.put(v, value)));
        return PER_ENVIRONMENT.computeIfAbsent(Map.copyOf(config), c -> build());
    }

    private static ApiServices build() {
        Services services = Services.fromEnvironment();
        String stateMachineArn = FunctionEnvironment.require("STATE_MACHINE_ARN");
        WorkflowEngine engine = new SfnWorkflowEngine(AwsClients.shared().sfn(),
                FunctionEnvironment.require("STATE_MACHINE_ROLE_ARN"), SfnWorkflowEngine.arnPrefixOf(stateMachineArn));
        CampaignService campaigns = campaignService(services, engine, stateMachineArn,
                FunctionEnvironment.get("STATE_MACHINE_PREFIX").orElse("campaignflow-plan-"),
                StateMachineCatalog.parseFunctionArns(FunctionEnvironment.get("AGENT_FUNCTION_ARNS").orElse(null)));
        ApiKeys keys = ApiKeys.parse(FunctionEnvironment.get(ApiKeys.VARIABLE).orElse(null));
        if (keys.isEmpty()) {
            LOG.log(System.Logger.Level.WARNING, ApiKeys.VARIABLE + " is not set: only requests an authorizer vouched "
                    + "for are accepted");
        }
        return new ApiServices(services, campaigns, keys,
                () -> new ManagementApiMessenger(AwsClients.shared().webSocket()),
                FunctionEnvironment.get("CORS_ALLOW_ORIGIN").orElse(null));
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private volatile T value;

            @Override
            public T get() {
                T v = value;
                if (v == null) {
                    synchronized (this) {
                        if (value == null) {
                            value = supplier.get();
                        }
                        v = value;
                    }
                }
                return v;
            }
        };
    }

    public Services services() {
        return services;
    }

    public CampaignService campaigns() {
        return campaigns;
    }

    public ApiKeys keys() {
        return keys;
    }

    public CampaignApi campaignApi() {
        return new CampaignApi(campaigns, keys);
    }

    public ProgressSubscriptions subscriptions() {
        return new ProgressSubscriptions(services.table("CONNECTIONS_TABLE"), campaigns, services.progressLog(),
                services.clock());
    }

    public ConnectionMessenger messenger() {
        return messenger.get();
    }

    /** The dashboard origin allowed by CORS, or null. */
    public String corsAllowOrigin() {
        return corsAllowOrigin;
    }
}
