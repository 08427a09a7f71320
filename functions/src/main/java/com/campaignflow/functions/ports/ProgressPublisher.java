package com.campaignflow.functions.ports;

import com.campaignflow.functions.domain.ProgressMessage;

/**
 * Pushes progress to whoever watches a campaign. Must never throw into the workflow: a client that went
 * away is not a reason to fail an agent.
 */
public interface ProgressPublisher {

    void publish(ProgressMessage message);
}
