package com.campaignflow.local.cli;

import com.campaignflow.local.cloud.LocalCloud;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code serve [--port 3000] [--data-dir DIR] [--api-keys tenant=key,...] [--faults SPEC]}: the local cloud on one
 * port (REST API, WebSocket API at /ws, /@connections, the Step Functions API, the dashboard at /) until SIGTERM or
 * Ctrl-C. Without --api-keys the data directory's development key (tenant {@code local}) is used and printed.
 */
public final class ServeCommand {

    public static final String USAGE = "serve [--port 3000] [--data-dir DIR] [--api-keys tenant=key,...] [--faults SPEC]"
            + " [--aws-endpoint URL] [--fsync true|false]";

    private ServeCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        return CampaignCommands.guarded("serve", USAGE, out, err, () -> {
            Arguments a = Arguments.parse(args, 0, Set.of("--port", "--data-dir", "--api-keys", "--faults", "--aws-endpoint",
                    "--fsync"));
            boolean fsync = a.bool("--fsync", true);
            int port = a.port("--port", 3000);
            Path dataDir = Path.of(a.option("--data-dir").orElse(CampaignCommands.DEFAULT_DATA_DIR))
                    .toAbsolutePath().normalize();
            String faults = CampaignCommands.faults(a, System.getenv());
            String keys = a.option("--api-keys").orElse(null);
            LocalTenant tenant = null;
            if (keys == null) {
                tenant = LocalTenant.of(dataDir, fsync);
                keys = tenant.apiKeysSpec();
            } else {
                try {
                    com.campaignflow.functions.api.ApiKeys.parse(keys);
                } catch (IllegalArgumentException e) {
                    throw new Arguments.UsageException("--api-keys: " + e.getMessage());
                }
            }
            LocalCloud cloud = LocalCloud.start(LocalCloud.Options.of(dataDir, keys).withPort(port)
                    .withFaults(faults)
                    .withAwsEndpoint(a.option("--aws-endpoint").orElse(null)).withFsync(fsync));
            out.println("campaignflow local cloud on " + cloud.endpoint());
            out.println("  REST API        " + cloud.endpoint() + "/campaigns ...");
            out.println("  WebSocket API   " + cloud.webSocketEndpoint() + "?api_key=KEY");
            out.println("  Step Functions  " + cloud.endpoint() + " (AWS_ENDPOINT_URL_SFN)");
            out.println("  Lambda Invoke   " + cloud.endpoint() + " (AWS_ENDPOINT_URL_LAMBDA)");
            // the Step Functions, Lambda and @connections APIs take requests signed with this key only
            out.println("  AWS access key  " + cloud.awsCredentials().accessKeyId() + " secret "
                    + cloud.awsCredentials().secretAccessKey() + " (for the two APIs above; new each start)");
            out.println("  dashboard       " + cloud.endpoint() + "/");
            out.println("  data            " + dataDir);
            a.option("--aws-endpoint").ifPresent(endpoint ->
                    out.println("  checkpoints and tables on " + endpoint + " (S3, DynamoDB)"));
            if (tenant != null) {
                out.println("  API key         " + tenant.apiKey() + " (tenant " + tenant.tenant() + ", kept in "
                        + dataDir.resolve(LocalTenant.KEY_FILE) + ")");
            }
            out.flush();
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                cloud.close();
                stopped.countDown();
            }, "serve-shutdown"));
            stopped.await();
            return 0;
        });
    }
}
