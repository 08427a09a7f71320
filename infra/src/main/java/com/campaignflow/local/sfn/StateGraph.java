package com.campaignflow.local.sfn;

import java.util.Map;

/** A set of states with a start: the top level, a Parallel branch or a Map item processor. */
record StateGraph(String startAt, Map<String, StateNode> states) {

    StateNode state(String name) {
        return states.get(name);
    }
}
