package com.campaignflow.local.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.campaignflow.local.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Smoke tests: each benchmark runs one short round end to end. Nothing here looks at timings. */
class BenchCommandTest {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int bench(String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "bench";
        System.arraycopy(args, 0, full, 1, args.length);
        return Main.run(full, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void unknownBenchmark_isRefusedWithTheUsage() {
        assertThat(bench("everything")).isEqualTo(2);
        assertThat(err()).contains("unknown benchmark \"everything\"").contains("usage: bench <engine|checkpoints|orchestration>");
    }

    @Test
    void badOptionValue_namesTheOption() {
        assertThat(bench("engine", "--rounds", "zero")).isEqualTo(2);
        assertThat(err()).contains("--rounds needs a positive whole number, got \"zero\"");
    }

    @Test
    void unknownStorageCase_namesTheCasesThereAre() {
        assertThat(bench("orchestration", "--stores", "memory,floppy")).isEqualTo(2);
        assertThat(err()).contains("--stores takes some of disk,disk-no-fsync,tmpfs,memory, got \"floppy\"");
    }

    @Test
    void engineQuick_runsBothDefinitionsAndWritesNothing() {
        assertThat(bench("engine", "--quick", "--no-peer")).as(err()).isZero();
        assertThat(out()).contains("| six-task-retry-catch | campaignflow (1 thread) |")
                .contains("| parallel-3-branches | campaignflow (1 thread) |").doesNotContain("wrote ");
        assertThat(err()).contains("six-task-retry-catch.asl.json (6 state transitions per execution)")
                .contains("parallel-3-branches.asl.json (4 state transitions per execution)");
    }

    @Test
    void engineQuick_withTheNodePeer_reportsARatio() {
        Path root = BenchSettings.findRoot(Path.of(""));
        assumeTrue(Files.isExecutable(NodePeer.defaultNode(root))
                && Files.isDirectory(root.resolve("infra/tools/node_modules/aws-local-stepfunctions")),
                "Node tools not installed (npm install --prefix infra/tools)");

        assertThat(bench("engine", "--quick")).as(err()).isZero();

        assertThat(out()).contains("| six-task-retry-catch | aws-local-stepfunctions |").containsPattern("\\d\\.\\d\\dx / ");
    }

    @Test
    void checkpointsQuick_reportsSizesAndLatencies() {
        assertThat(bench("checkpoints", "--quick")).as(err()).isZero();
        assertThat(out()).contains("checkpoint write (CheckpointManager.create)").containsPattern("gzip [\\d,]+ bytes");
    }

    @Test
    void orchestrationQuick_runsCampaignsAndAResume() {
        assertThat(bench("orchestration", "--quick", "--no-peer")).as(err()).isZero();
        assertThat(out()).contains("6-agent campaign, journaled engine (ms)")
                .contains("resume from checkpoint to next agent's start (ms)");
    }

    @Test
    void orchestrationQuick_onOneStorageCase_measuresOnlyThatOne() {
        assertThat(bench("orchestration", "--quick", "--no-peer", "--stores", "memory")).as(err()).isZero();
        assertThat(out()).contains("in-memory stores").doesNotContain("--fsync false").doesNotContain("(tmpfs)");
    }
}
