// Runs a generated definition on aws-local-stepfunctions with every agent Lambda replaced by a stand-in that returns
// an agent result (docs/contracts.md) describing what it saw, or throws for the states named in argv[3].
// Prints the execution output, or {"failed": {"error", "cause"}}, as JSON.
// Usage: node run-definition.cjs <tools-dir> <definition.json> [state,state...]
const path = require('path');
const fs = require('fs');
const { StateMachine } = require(path.join(process.argv[2], 'node_modules', 'aws-local-stepfunctions'));

const definition = JSON.parse(fs.readFileSync(process.argv[3], 'utf8'));
const failing = new Set((process.argv[4] || '').split(',').filter(Boolean));

const handlers = {};
const addHandlers = (states) => {
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === 'Task') {
      handlers[name] = async (input) => {
        const event = input.Payload;
        if (failing.has(name)) {
          const error = new Error(`${name} failed`);
          error.name = 'AgentFailed';
          throw error;
        }
        return {
          StatusCode: 200,
          Payload: {
            step_id: event.step_id,
            agent: event.agent,
            status: 'completed',
            checkpoint_id: `${event.workflow_id}/${name}`,
            quality_score: 0.8,
            summary: JSON.stringify({
              state: name, execution: event.execution_id, replaces: event.replaces, error: event.error,
              parameters: event.parameters, saw: Object.keys(event.results),
            }),
          },
        };
      };
    }
    (state.Branches || []).forEach((branch) => addHandlers(branch.States));
  }
};
addHandlers(definition.States);

(async () => {
  const machine = new StateMachine(definition);
  const execution = machine.run(
    { workflow_id: 'wf-test', campaign_id: 'camp-test', tenant: 'default', degradation_level: 'none',
      seed_checkpoint_id: null, results: {} },
    { overrides: { taskResourceLocalHandlers: handlers }, context: { Execution: { Name: 'exec-test' } } });
  try {
    console.log(JSON.stringify(await execution.result));
  } catch (e) {
    console.log(JSON.stringify({ failed: { error: e.name, cause: e.message } }));
  }
})();
