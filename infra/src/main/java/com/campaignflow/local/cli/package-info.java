/**
 * The campaign commands of the {@code local} command: {@code run}, {@code checkpoints}, {@code resume},
 * {@code redrive} (each a client of a local cloud it starts on the data directory, over real HTTP) and
 * {@code serve}. The data directory's development key (tenant {@code local}) authenticates them.
 */
package com.campaignflow.local.cli;
