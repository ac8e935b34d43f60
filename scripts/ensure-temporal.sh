#!/usr/bin/env bash
# Prints the path of a Temporal CLI: `temporal` on PATH, else a cached build, else builds v1.5.1 into the cache.
# The cache lives outside the checkout so fresh clones reuse it.
set -euo pipefail
version=v1.5.1
cache="${FERRY_CACHE_DIR:-$HOME/.cache/ferry}/bin"
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$cache/temporal" ]; then echo "$cache/temporal"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  echo "ferry: no Temporal CLI found (not on PATH, not in $cache) and no Go toolchain to build it." >&2
  echo "ferry: install Go, or put a temporal binary on PATH, or set TEMPORAL_ADDRESS to a running server." >&2
  exit 1
fi
mkdir -p "$cache"
echo "ferry: building the Temporal CLI $version into $cache (first time only, takes a few minutes)..." >&2
GOTOOLCHAIN=local GOBIN="$cache" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
echo "$cache/temporal"
