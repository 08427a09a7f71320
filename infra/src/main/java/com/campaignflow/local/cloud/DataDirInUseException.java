package com.campaignflow.local.cloud;

/** The data directory is used by another local cloud (serve, or a run/resume/redrive command): one writer per directory. */
public final class DataDirInUseException extends IllegalStateException {

    DataDirInUseException(String message) {
        super(message);
    }
}
