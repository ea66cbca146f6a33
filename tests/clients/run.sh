#!/usr/bin/env bash
# Opt-in: the real coding CLIs (Claude Code, Codex, Gemini CLI, Cline) against the in-process gateway, each routed
# to scripted fake upstreams of every format (its suggested cross-format pairing first). Everything stays on
# 127.0.0.1; each CLI gets a throwaway HOME and working dir, its vendor traffic switched off, and 120 s at most.
#
#   bash tests/clients/run.sh [deno test args...]     e.g. --filter "Codex"
#
# Env: CLIENTS_DIR (npm cache prefix, default ~/.cache/switchyard-clients), CLIENTS_UPSTREAMS=openai,anthropic,gemini
# (narrow the upstream formats), CLIENTS_TIMEOUT_MS (per CLI run, default 120000), CLIENTS_DUMP=DIR (write every
# request the CLI sent and the upstream got, as JSON), CLIENTS_KEEP=1 (keep the temp dirs), CLIENTS_SKIP_INSTALL=1,
# CLIENTS_STRACE=DIR (log every connect() of the CLIs with strace, to check that they stay on loopback).
#
# The CLIs are npm packages run as programs (node or their own native binaries), never imported by Deno. The pins
# are the versions tests/clients and docs were checked against (shared/reference/clients.md).
set -uo pipefail

cd "$(dirname "$0")/../.." || exit 1
CLIENTS_DIR="${CLIENTS_DIR:-$HOME/.cache/switchyard-clients}"
export CLIENTS_DIR

# name of the bin | npm package@version
PINS=(
  "claude|@anthropic-ai/claude-code@2.1.330"
  "codex|@openai/codex@0.169.0"
  "gemini|@google/gemini-cli@0.61.0"
  "cline|cline@3.0.65"
)

mkdir -p "$CLIENTS_DIR"
if [ "${CLIENTS_SKIP_INSTALL:-}" != "1" ]; then
  for pin in "${PINS[@]}"; do
    bin="${pin%%|*}"
    spec="${pin#*|}"
    pkg="${spec%@*}"
    version="${spec##*@}"
    marker="$CLIENTS_DIR/unusable-$bin.txt"
    installed="$(node -p "try{require('$CLIENTS_DIR/node_modules/$pkg/package.json').version}catch{''}" 2>/dev/null)"
    if [ "$installed" = "$version" ] && [ -x "$CLIENTS_DIR/node_modules/.bin/$bin" ]; then
      echo "clients: $spec already installed in $CLIENTS_DIR"
    else
      echo "clients: installing $spec into $CLIENTS_DIR"
      if ! npm install --prefix "$CLIENTS_DIR" --no-audit --no-fund --loglevel=error "$spec" \
        >"$CLIENTS_DIR/install-$bin.log" 2>&1; then
        {
          echo "npm install $spec failed:"
          tail -n 5 "$CLIENTS_DIR/install-$bin.log"
        } >"$marker"
        cat "$marker"
        continue
      fi
    fi
    # The npm bins are wrappers that find a platform binary (an optional dependency): check it really runs here.
    if out="$(timeout 60 "$CLIENTS_DIR/node_modules/.bin/$bin" --version 2>&1)"; then
      rm -f "$marker"
      echo "clients: $bin --version → $(echo "$out" | tail -n 1)"
    else
      {
        echo "$bin --version failed after installing $spec:"
        echo "$out" | tail -n 5
      } >"$marker"
      cat "$marker"
    fi
  done
fi

# deno.json's test.exclude keeps tests/clients/ out of `deno task test`, and Deno applies it to paths given on the
# command line too; so these run under a copy of deno.json without that entry (same imports, lock and node_modules).
config=".deno.clients.$$.json"
trap 'rm -f "$config"' EXIT
deno eval --no-config '
  const c = JSON.parse(Deno.readTextFileSync("deno.json"));
  if (c.test?.exclude) c.test.exclude = c.test.exclude.filter((p) => !p.replace(/^\.\//, "").startsWith("tests/clients"));
  Deno.writeTextFileSync(Deno.args[0], JSON.stringify(c, null, 2));
' "$config" || exit 1

deno test -A --config "$config" tests/clients/ "$@"
