// Peer side of `bench engine`: runs the same definition files on aws-local-stepfunctions with
// every Task answered at once by a local handler, with the same methodology as the Java side
// (fixed-duration rounds, one execution at a time, driven from stdin), answering in JSON lines.
//
// node engine-peer.mjs --tools <dir with node_modules> --input <input.json>
//      <definition.asl.json>...
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

const args = process.argv.slice(2);
const options = { tools: null, input: null };
const files = [];
for (let i = 0; i < args.length; i++) {
  switch (args[i]) {
    case '--tools': options.tools = args[++i]; break;
    case '--input': options.input = args[++i]; break;
    default:
      if (args[i].startsWith('--')) throw new Error(`unknown option ${args[i]}`);
      files.push(args[i]);
  }
}
if (!options.tools || !options.input || files.length === 0) {
  throw new Error('usage: engine-peer.mjs --tools DIR --input FILE DEFINITION...');
}

const require = createRequire(join(resolve(options.tools), 'package.json'));
const { StateMachine } = require('aws-local-stepfunctions');
const libraryVersion = JSON.parse(readFileSync(join(resolve(options.tools), 'node_modules', 'aws-local-stepfunctions', 'package.json'), 'utf8')).version;
const input = JSON.parse(readFileSync(options.input, 'utf8'));

// Every Task state, at any depth, answers with its input (the Java side's echo function).
function taskNames(graph, names = []) {
  for (const [name, state] of Object.entries(graph.States)) {
    if (state.Type === 'Task') names.push(name);
    for (const branch of state.Branches ?? []) taskNames(branch, names);
    if (state.ItemProcessor ?? state.Iterator) taskNames(state.ItemProcessor ?? state.Iterator, names);
  }
  return names;
}

async function measure(stateMachine, runOptions, durationMs) {
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const end = t0 + BigInt(durationMs) * 1_000_000n;
  let count = 0;
  let now = t0;
  while (now < end) {
    await stateMachine.run(input, runOptions).result;
    count++;
    now = process.hrtime.bigint();
  }
  const seconds = Number(now - t0) / 1e9;
  const cpu = process.cpuUsage(cpu0);
  return { executions: count, seconds, cpu_seconds: (cpu.user + cpu.system) / 1e6 };
}

// Line protocol on stdin so the Java harness can interleave its rounds with ours:
//   "measure <case index> <milliseconds>"  -> one JSON line {executions, seconds, cpu_seconds}
//   "quit"                                 -> exit
const cases = [];
for (const file of files) {
  const definition = JSON.parse(readFileSync(file, 'utf8'));
  const stateMachine = new StateMachine(definition);
  const handlers = Object.fromEntries(taskNames(definition).map((name) => [name, (event) => event]));
  const runOptions = { overrides: { taskResourceLocalHandlers: handlers } };
  const output = await stateMachine.run(input, runOptions).result;
  cases.push({ definition: basename(file), stateMachine, runOptions, output });
}
const reply = (value) => process.stdout.write(JSON.stringify(value) + '\n');
reply({
  runtime: 'node', node_version: process.version, library: 'aws-local-stepfunctions', library_version: libraryVersion,
  cases: cases.map(({ definition, output }) => ({ definition, output })),
});

const lines = createInterface({ input: process.stdin });
for await (const line of lines) {
  const [command, index, ms] = line.trim().split(/\s+/);
  if (command === 'quit') break;
  if (command !== 'measure' || !cases[Number(index)]) {
    reply({ error: `bad command: ${line}` });
    continue;
  }
  const c = cases[Number(index)];
  reply(await measure(c.stateMachine, c.runOptions, Number(ms)));
}
process.exit(0);
