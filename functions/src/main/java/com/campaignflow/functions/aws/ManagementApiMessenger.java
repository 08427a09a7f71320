package com.campaignflow.functions.aws;

import com.campaignflow.functions.api.ConnectionMessenger;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.apigatewaymanagementapi.ApiGatewayManagementApiClient;
import software.amazon.awssdk.services.apigatewaymanagementapi.model.GoneException;

/** {@link ConnectionMessenger} over the API Gateway WebSocket management API ({@code PostToConnection}). */
public final class ManagementApiMessenger implements ConnectionMessenger {

    private static final System.Logger LOG = System.getLogger(ManagementApiMessenger.class.getName());

    private final ApiGatewayManagementApiClient api;

    public ManagementApiMessenger(ApiGatewayManagementApiClient api) {
        this.api = api;
    }

    @Override
    public boolean send(String connectionId, String message) {
        try {
            api.postToConnection(p -> p.connectionId(connectionId).data(SdkBytes.fromUtf8String(message)));
            return true;
        } catch (GoneException e) {
            return false;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "message not sent to connection " + connectionId + ": " + e);
            return true;
        }
    }
}
