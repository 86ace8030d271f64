#!/usr/bin/env bash
# Regenerates every file derived from the schema: src/models.ts, docs/, resource-role.yaml and the
# input validator src/input/generated/validate-resource-properties.ts.
# Usage: scripts/generate.sh [PROJECT_DIR]   (default: the repository root)
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
project_dir="${1:-$repo_root}"
cd "$project_dir"
mkdir -p src
# cfn generate empties docs/ before writing its files there (rpdk.core.project, generate_docs:
# shutil.rmtree(docs_path)), which would delete the written guides in docs/guide/: keep them aside.
guides="$(mktemp -d)"
trap 'rm -rf "$guides"' EXIT
if [ -d docs/guide ]; then cp -a docs/guide "$guides/"; fi
"$repo_root/.venv/bin/cfn" generate >/dev/null
if [ -d "$guides/guide" ]; then cp -a "$guides/guide" docs/; fi
node "$repo_root/scripts/fix-generated-models.js" src/models.ts
node "$repo_root/scripts/generate-input-validator.js" org-ecs-servicerestart.json src/input/generated/validate-resource-properties.ts
