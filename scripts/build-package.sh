#!/usr/bin/env bash
# The CloudFormation CLI's build hook (.rpdk-config settings.buildCommand). `cfn submit` calls it with
# the function name appended (" TypeFunction") and zips build/<function>/ as ResourceProvider.zip,
# so that folder must hold exactly what Lambda runs: one bundled file, no node_modules, no SAM.
set -euo pipefail
function_name="${1:-TypeFunction}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
rm -rf "build/$function_name" build/handler-esm
# ES modules (not dist/'s CommonJS) so that the bundler can leave out the SDK code no handler uses.
npx tsc -p tsconfig.build.json --module es2022 --sourceMap false --outDir build/handler-esm
node scripts/bundle.js build/handler-esm/handlers.js "build/$function_name/dist/handlers.js"
