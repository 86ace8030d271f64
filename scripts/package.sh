#!/usr/bin/env bash
# Builds the registry package org-ecs-servicerestart.zip (`cfn submit --dry-run`) for a Lambda runtime.
# Usage: scripts/package.sh [RUNTIME]   (make package [RUNTIME=nodejs24.x]; default: the runtime of .rpdk-config)
# PACKAGE_OUT_DIR (default: the repository root) receives the zip, and build/<RUNTIME>/ for another runtime.
#
# The CLI reads the runtime from .rpdk-config (and `cfn init` wrote it into template.yml); it has no
# flag for it. For another runtime the project is copied into a scratch folder, the runtime is set
# there in .rpdk-config and template.yml, `cfn generate` regenerates the role, docs and models from
# that configuration, and `cfn submit --dry-run` packages the copy, so the checked-in files never
# change. The copy's runtime-dependent files are kept in build/<RUNTIME>/ for inspection and for
# those who deploy with SAM, with the bundled handler in build/<RUNTIME>/TypeFunction/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
supported_runtimes=(nodejs22.x nodejs24.x)
package_zip=org-ecs-servicerestart.zip
out_dir="${PACKAGE_OUT_DIR:-$root}"

configured="$(node -p 'JSON.parse(require("fs").readFileSync(".rpdk-config", "utf8")).runtime')"
runtime="$(echo "${1:-$configured}" | xargs)"
if [[ ! " ${supported_runtimes[*]} " =~ " ${runtime} " ]]; then
    echo "RUNTIME must be one of ${supported_runtimes[*]} (got \"$runtime\")" >&2
    exit 2
fi

if [[ "$runtime" == "$configured" ]]; then
    .venv/bin/cfn submit --dry-run
    if [[ "$out_dir" != "$root" ]]; then mv "$package_zip" "$out_dir/"; fi
    exit 0
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/package-$runtime-XXXXXX")"
trap 'rm -rf "$scratch"' EXIT
# Everything the CLI, the build hook and `cfn generate` read; installed dependencies are linked, not copied.
for entry in .[!.]* *; do
    case "$entry" in
        .git | .venv | node_modules | build | dist | coverage | .cache | .pytest_cache | "$package_zip") ;;
        *) cp -a "$entry" "$scratch/" ;;
    esac
done
ln -s "$root/node_modules" "$scratch/node_modules"
ln -s "$root/.venv" "$scratch/.venv"

node -e '
    const fs = require("fs");
    const [file, runtime] = process.argv.slice(1);
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    config.runtime = runtime;
    fs.writeFileSync(file, JSON.stringify(config, null, 4) + "\n");
' "$scratch/.rpdk-config" "$runtime"
sed -i -E "s/^([[:space:]]*Runtime:[[:space:]]*)$configured[[:space:]]*\$/\1$runtime/" "$scratch/template.yml"
if grep -q "$configured" "$scratch/template.yml" || ! grep -q "Runtime: $runtime" "$scratch/template.yml"; then
    echo "template.yml: could not set every function's Runtime from $configured to $runtime" >&2
    exit 1
fi

scripts/generate.sh "$scratch"
(cd "$scratch" && .venv/bin/cfn submit --dry-run)

mkdir -p "$out_dir"
cp "$scratch/$package_zip" "$out_dir/$package_zip"
kept="$out_dir/build/$runtime"
rm -rf "$kept"
mkdir -p "$kept/docs"
cp "$scratch/.rpdk-config" "$scratch/template.yml" "$scratch/resource-role.yaml" "$kept/"
# The bundled handler as the package holds it, for the fault suites (they load it in-process).
cp -a "$scratch/build/TypeFunction" "$kept/"
find "$scratch/docs" -maxdepth 1 -type f -exec cp {} "$kept/docs/" \;
echo "Packaged $out_dir/$package_zip for $runtime; its .rpdk-config, template.yml, role and generated docs are in $kept/"
