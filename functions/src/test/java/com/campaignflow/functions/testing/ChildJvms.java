package com.campaignflow.functions.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a main class in child JVMs (this test's class path), one per name, side by side. */
public final class ChildJvms {

    private ChildJvms() {
    }

    /**
     * Starts {@code main dir name count} for each name at once and asserts that every one exits with 0 within
     * {@code timeout}.
     */
    public static void runToSuccess(Class<?> main, Path dir, List<String> names, int count, Duration timeout)
            throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Process> processes = new ArrayList<>();
        for (String name : names) {
            processes.add(new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), main.getName(),
                    dir.toString(), name, Integer.toString(count))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
        }
        for (Process p : processes) {
            assertThat(p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)).as(main.getSimpleName() + " ended").isTrue();
            assertThat(p.exitValue()).as(main.getSimpleName() + " exit status").isZero();
        }
    }
}
