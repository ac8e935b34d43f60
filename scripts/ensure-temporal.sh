#!/usr/bin/env bash
# Prints the path of a Temporal CLI: $TEMPORAL_CLI, `temporal` on PATH, else a cached build, else builds v1.5.1 into the cache.
# The cache lives outside the checkout so fresh clones reuse it. Messages go to stderr, the path alone to stdout.
set -euo pipefail
version=v1.5.1
cache="${FERRY_CACHE_DIR:-$HOME/.cache/ferry}/bin"
if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; exit 0; fi
if command -v temporal >/dev/null 2>&1; then command -v temporal; exit 0; fi
if [ -x "$cache/temporal" ]; then echo "$cache/temporal"; exit 0; fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
ferry: Ferry runs its workflows on a Temporal dev server, started with the Temporal CLI, and found none:
ferry:   no \`temporal\` on PATH, none built in $cache, and no Go toolchain to build one.
ferry: Do one of these, then run the command again:
ferry:   - install Go (https://go.dev/dl/): Ferry then builds the CLI $version once into $cache;
ferry:   - install the Temporal CLI (https://docs.temporal.io/cli) so that \`temporal\` is on PATH,
ferry:     or set TEMPORAL_CLI to its path;
ferry:   - or set TEMPORAL_ADDRESS to a Temporal server you already run (npm start then starts none).
MSG
  exit 1
fi
mkdir -p "$cache"
cat >&2 <<MSG
ferry: building the Temporal CLI $version with Go into $cache: Ferry runs its workflows on the
ferry: Temporal dev server that this CLI starts, and none is on PATH. This happens once (a few minutes,
ferry: mostly downloading and compiling); every later start, and every fresh clone, reuses the build.
MSG
GOTOOLCHAIN=local GOBIN="$cache" go install "github.com/temporalio/cli/cmd/temporal@$version" >&2
echo "ferry: built $cache/temporal" >&2
echo "$cache/temporal"
