package com.campaignflow.functions.progress;

import com.campaignflow.functions.domain.ProgressMessage;
import com.campaignflow.functions.ports.ProgressPublisher;

/**
 * Stores every progress message in the {@link ProgressLog}, then hands it to the real publisher. Like every
 * publisher it never throws: a message that could not be stored is still pushed (the client can always fall back
 * to {@code GET /campaigns/{id}}).
 */
public final class RecordingProgressPublisher implements ProgressPublisher {

    private static final System.Logger LOG = System.getLogger(RecordingProgressPublisher.class.getName());

    private final ProgressLog log;
    private final ProgressPublisher delegate;

    public RecordingProgressPublisher(ProgressLog log, ProgressPublisher delegate) {
        this.log = log;
        this.delegate = delegate;
    }

    @Override
    public void publish(ProgressMessage message) {
        try {
            log.append(message);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "progress message " + message.sequence() + " of campaign "
                    + message.campaignId() + " not recorded for catch-up: " + e);
        }
        delegate.publish(message);
    }
}
