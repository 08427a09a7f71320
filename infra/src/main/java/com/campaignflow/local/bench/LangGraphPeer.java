package com.campaignflow.local.bench;

import static org.bsc.langgraph4j.action.AsyncNodeAction.node_async;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bsc.langgraph4j.CompileConfig;
import org.bsc.langgraph4j.CompiledGraph;
import org.bsc.langgraph4j.GraphStateException;
import org.bsc.langgraph4j.RunnableConfig;
import org.bsc.langgraph4j.StateGraph;
import org.bsc.langgraph4j.checkpoint.BaseCheckpointSaver;
import org.bsc.langgraph4j.checkpoint.FileSystemSaver;
import org.bsc.langgraph4j.checkpoint.MemorySaver;
import org.bsc.langgraph4j.serializer.std.ObjectStreamStateSerializer;
import org.bsc.langgraph4j.state.AgentState;

/**
 * The same six-step pipeline on LangGraph4j: one node per step answering at once with its
 * ~8.5 KB output (the state reaches ~50 KB; each run takes the next of the output sets),
 * checkpointed after every node by its FileSystemSaver in a directory of ours (or its
 * MemorySaver, against our in-memory stores).
 */
final class LangGraphPeer {

    private static final String SET = "output_set";

    private final CompiledGraph<AgentState> graph;

    private final int sets;
    private int runs;

    /**
     * @param dir        where FileSystemSaver writes; null for its MemorySaver
     * @param outputSets the steps' outputs, one set per run in turn (as our campaigns take them)
     */
    LangGraphPeer(Path dir, List<Map<String, String>> outputSets) throws GraphStateException {
        var serializer = new ObjectStreamStateSerializer<AgentState>(AgentState::new);
        StateGraph<AgentState> g = new StateGraph<>(serializer);
        String previous = StateGraph.START;
        for (String step : BenchData.STEPS) {
            g.addNode(step, node_async(state -> {
                int set = state.<Integer>value(SET).orElseThrow();
                return Map.of(step, outputSets.get(set).get(step));
            }));
            g.addEdge(previous, step);
            previous = step;
        }
        g.addEdge(previous, StateGraph.END);
        BaseCheckpointSaver saver = dir == null ? new MemorySaver() : new FileSystemSaver(dir, serializer);
        graph = g.compile(CompileConfig.builder().checkpointSaver(saver).build());
        sets = outputSets.size();
    }

    /** One run of the pipeline as thread {@code runId}; returns how many steps its final state holds. */
    int run(String runId) {
        Map<String, Object> input = Map.of("campaign_id", runId, SET, runs++ % sets);
        Optional<AgentState> end = graph.invoke(input, RunnableConfig.builder().threadId(runId).build());
        AgentState state = end.orElseThrow(() -> new IllegalStateException("LangGraph4j run " + runId + " ended with no state"));
        return (int) BenchData.STEPS.stream().filter(s -> state.value(s).isPresent()).count();
    }
}
