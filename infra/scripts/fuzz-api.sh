#!/usr/bin/env bash
# Fuzzes the REST API with schemathesis against its OpenAPI document, on a local `serve` with a fresh data
# directory, and fails if any request got a 5xx answer. Builds nothing: run it after `./mvnw package`.
#
#   infra/scripts/fuzz-api.sh
#
# Needs java (JAVA_HOME or PATH), curl and schemathesis (pip install schemathesis). Environment:
#   FUZZ_MAX_EXAMPLES  test cases per operation and phase (default 50: about a minute)
#   FUZZ_TIMEOUT       hard limit of the schemathesis run in seconds (default 170)
#   FUZZ_SEED          fixed seed to reproduce a run (default: random, printed)
#   FUZZ_REPORT_DIR    reports and logs (default infra/target/test-artifacts/fuzz)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
jar="$root/infra/target/campaignflow-local.jar"
spec="$root/functions/src/main/resources/openapi.yaml"
max_examples=${FUZZ_MAX_EXAMPLES:-50}
run_timeout=${FUZZ_TIMEOUT:-170}
seed=${FUZZ_SEED:-$((RANDOM * 32768 + RANDOM))}
report_dir=${FUZZ_REPORT_DIR:-$root/infra/target/test-artifacts/fuzz}

die() { echo "fuzz-api: $*" >&2; exit 2; }

java_bin=${JAVA_HOME:+$JAVA_HOME/bin/}java
command -v "$java_bin" >/dev/null || die "java not found (set JAVA_HOME)"
command -v curl >/dev/null || die "curl not found"
command -v schemathesis >/dev/null || die "schemathesis not found: pip install schemathesis"
[[ -f "$jar" ]] || die "$jar is missing: run ./mvnw package first"
[[ -f "$spec" ]] || die "$spec is missing"

mkdir -p "$report_dir"
report_dir=$(cd "$report_dir" && pwd)
rm -f "$report_dir"/*
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
key="cf_fuzz_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')"
data_dir=$(mktemp -d "${TMPDIR:-/tmp}/campaignflow-fuzz.XXXXXX")
base_url="http://127.0.0.1:$port"
server_log="$report_dir/serve.log"

server_pid=
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$server_pid" 2>/dev/null || break; sleep 0.2; done
    kill -9 "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$data_dir"
}
trap cleanup EXIT

"$java_bin" -jar "$jar" serve --port "$port" --data-dir "$data_dir" --api-keys "fuzz=$key" >"$server_log" 2>&1 &
server_pid=$!

for _ in $(seq 1 240); do
  if curl -fsS -o /dev/null -H "x-api-key: $key" "$base_url/system/health-status" 2>/dev/null; then
    break
  fi
  kill -0 "$server_pid" 2>/dev/null || { tail -n 40 "$server_log" >&2; die "serve exited before answering"; }
  sleep 0.25
done
curl -fsS -o /dev/null -H "x-api-key: $key" "$base_url/system/health-status" \
  || { tail -n 40 "$server_log" >&2; die "serve did not answer on $base_url within 60 s"; }
echo "fuzz-api: serve is up on $base_url (log $server_log); seed $seed, $max_examples examples per operation"

# One real campaign first, so that listings, checkpoints and links have something to return.
curl -fsS -o /dev/null -X POST -H "x-api-key: $key" -H "Content-Type: application/json" \
  --data-binary @"$root/events/create-campaign.json" "$base_url/campaigns" \
  || die "could not create the seed campaign from events/create-campaign.json"

# One worker: concurrent writes to one campaign may legitimately answer 503 busy, which is not what we look for.
# Run from the report directory, where schemathesis keeps its cache of earlier crashes (replayed first).
status=0
cd "$report_dir"
timeout --signal=INT --kill-after=15 "$run_timeout" \
  schemathesis run "$spec" \
    --url "$base_url" \
    -H "x-api-key: $key" \
    --checks not_a_server_error \
    --max-examples "$max_examples" \
    --seed "$seed" \
    --workers 1 \
    --request-timeout 20 \
    --no-color \
    --generation-database none \
    --report junit,ndjson \
    --report-dir "$report_dir" \
  2>&1 | tee "$report_dir/schemathesis.log" || status=$?

# What was sent and answered, from the NDJSON report: responses by status, and each 5xx with its request.
python3 - "$report_dir" <<'SUMMARY' || true
import base64, collections, glob, json, sys
files = glob.glob(sys.argv[1] + "/ndjson-*.ndjson")
if not files:
    sys.exit("fuzz-api: no NDJSON report")
statuses, operations, server_errors = collections.Counter(), set(), []
for line in open(files[0], encoding="utf-8"):
    event = json.loads(line).get("ScenarioFinished")
    if not event:
        continue
    recorder = event.get("recorder") or {}
    for case_id, interaction in recorder.get("interactions", {}).items():
        request, response = interaction.get("request", {}), interaction.get("response") or {}
        status = response.get("status_code")
        case = recorder.get("cases", {}).get(case_id, {}).get("value", {})
        operations.add(f"{case.get('method')} {case.get('path')}")
        statuses[status] += 1
        if status and status >= 500:
            body = (request.get("body") or {}).get("$base64")
            body = base64.b64decode(body).decode("utf-8", "replace")[:300] if body else ""
            server_errors.append(f"{status} {request.get('method')} {request.get('uri')} {body}")
print(f"fuzz-api: {sum(statuses.values())} requests to {len(operations)} method/path pairs (unsupported-method probes included); by status: "
      + ", ".join(f"{s}: {n}" for s, n in sorted(statuses.items(), key=lambda kv: kv[0] or 0)))
print(f"fuzz-api: {len(server_errors)} answered 5xx")
for error in server_errors[:20]:
    print("  " + error)
SUMMARY

# Server-side view of the same run: every 500 is logged with its request id and stack trace.
unexpected=$(grep -c "failed unexpectedly" "$server_log" || true)
echo "fuzz-api: server logged $unexpected unexpected failure(s) (see $server_log)"
if [[ $status -eq 124 || $status -eq 130 ]]; then
  echo "fuzz-api: schemathesis did not finish within ${run_timeout}s" >&2
  exit 1
fi
if [[ $status -ne 0 || $unexpected -ne 0 ]]; then
  echo "fuzz-api: FAILED (schemathesis exit $status); reports in $report_dir" >&2
  exit 1
fi
echo "fuzz-api: no server errors"
