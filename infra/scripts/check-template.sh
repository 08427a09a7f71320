#!/usr/bin/env bash
# Offline checks of template.yaml: cfn-lint (must be clean) and `sam build` (must succeed).
# Installs cfn-lint and the SAM CLI into a reusable virtualenv; needs python3 (>= 3.9) and a JDK >= 21.
#   infra/scripts/check-template.sh            # lint + build
#   SKIP_SAM_BUILD=1 infra/scripts/check-template.sh   # lint only
# CAMPAIGNFLOW_TOOLS_VENV overrides the venv location (default ~/.cache/campaignflow/template-tools).
set -euo pipefail
cd "$(dirname "$0")/../.."

venv="${CAMPAIGNFLOW_TOOLS_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/campaignflow/template-tools}"
python="${PYTHON:-python3}"

if [[ ! -x "$venv/bin/sam" || ! -x "$venv/bin/cfn-lint" ]]; then
  echo "installing cfn-lint and aws-sam-cli into $venv" >&2
  "$python" -m venv "$venv"
  "$venv/bin/pip" install --quiet --upgrade pip
  "$venv/bin/pip" install --quiet cfn-lint aws-sam-cli
fi

echo "== cfn-lint $("$venv/bin/cfn-lint" --version)" >&2
"$venv/bin/cfn-lint" template.yaml
echo "cfn-lint: clean" >&2

if [[ -n "${SKIP_SAM_BUILD:-}" ]]; then
  exit 0
fi

# sam build runs the Makefile under functions/ (BuildMethod: makefile), which calls ./mvnw: it needs a JDK >= 21.
if [[ -z "${JAVA_HOME:-}" ]] || ! "$JAVA_HOME/bin/java" -version 2>&1 | grep -Eq 'version "(2[1-9]|[3-9][0-9])'; then
  for candidate in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-25-openjdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [[ -x "$candidate/bin/java" ]]; then export JAVA_HOME="$candidate"; break; fi
  done
fi
if [[ -z "${JAVA_HOME:-}" ]]; then
  echo "no JDK 21 or newer found; set JAVA_HOME" >&2
  exit 1
fi
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
export SAM_CLI_TELEMETRY=0

echo "== $("$venv/bin/sam" --version)" >&2
"$venv/bin/sam" build --template-file template.yaml --build-dir .aws-sam/build --build-in-source
echo "sam build: ok" >&2
