package com.campaignflow.functions.aws;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

/**
 * Primes the shared AWS clients before Lambda takes the SnapStart snapshot. Registered by the first
 * {@link AwsClients#shared()}; outside SnapStart (or CRaC) the hook never fires and costs nothing.
 */
public final class SnapStartPriming implements Resource {

    private static final SnapStartPriming INSTANCE = new SnapStartPriming();
    private static volatile boolean registered;

    private SnapStartPriming() {
    }

    /** Registers the hook once per container; later calls do nothing. */
    public static synchronized void register() {
        if (!registered) {
            // org.crac keeps a weak reference: INSTANCE is a static field, so it lives as long as the class.
            Core.getGlobalContext().register(INSTANCE);
            registered = true;
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        AwsClients.shared().prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to refresh: credentials are re-read per request by the default provider chain.
    }
}
