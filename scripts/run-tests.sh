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

# run_jest_suite PROJECT [NODE [JEST OPTIONS...]]: NODE runs Jest (default: this machine's node). Under
# LAMBDA_RUNTIME the suite is about that runtime's package and Node, and is labelled with it. PROJECT
# may name several projects ("unit handlers"); Jest's exit status is left in jest_status.
run_jest_suite() {
    local project="$1"
    local node_binary="${2:-node}"
    shift $(($# < 2 ? $# : 2))
    local label="${project// / + }${LAMBDA_RUNTIME:+ $LAMBDA_RUNTIME}"
    local report="$results_dir/${label//[ +]/-}.json"
    echo "=== suite: $label ($("$node_binary" --version))"
    # shellcheck disable=SC2086 # PROJECT is a list of project names
    "$node_binary" node_modules/jest/bin/jest.js --selectProjects $project --silent --json --outputFile="$report" "$@"
    jest_status=$?
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
    echo "    $label: $p passed, $f failed, $s skipped"
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
}

# The contract tests (cfn test) run the handler from the package, served by the Lambda-Invoke server.
run_contract_suite() {
    local label="contract${LAMBDA_RUNTIME:+ $LAMBDA_RUNTIME}"
    local report="$results_dir/${label// /-}.xml"
    echo "=== suite: $label (cfn test)"
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
    echo "    $label: $p passed, $f failed, $s skipped (skips are cfn test's own: read-only identifier, not taggable)"
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
# The fast suites run once, with coverage: their tests count, and the thresholds are one check more.
run_jest_suite "unit handlers" node --coverage
echo "=== check: coverage of src/ (unit + handlers suites, thresholds in jest.config.js)"
if ((jest_status == 0)); then
    passed=$((passed + 1))
else
    # Failed tests are counted above; a failing run without them is a threshold not met (Jest says which).
    echo "FAILED check: coverage (see the thresholds Jest names above, if no test failed)"
    failed=$((failed + 1))
fi
for project in integration templates; do
    run_jest_suite "$project"
done

# The packaged-handler suites, once per Lambda runtime, each against the package built for it: the
# package suite (its Lambda-Invoke server under the runtime's Node), the fault suite (the handler
# in-process, so Jest itself runs under that Node) and the contract tests. The runtimes' passes run
# side by side (they mostly wait on moto and on the handlers' timeouts, so side by side costs little
# more than one pass; TEST_RUNTIMES_ONE_BY_ONE=1 runs them in turn), each with its output kept until
# it ends.
# The runtime's Node binary, from the one table of them (tools/local/lambda-process.ts, built above).
node_binary_of() {
    node -p 'require("./build/tools/local/lambda-process").lambdaRuntime(process.argv[1]).nodeBinary' "$1"
}
run_packaged_suites() {
    local runtime="$1"
    export LAMBDA_RUNTIME="$runtime"
    if [[ "$runtime" != nodejs22.x ]]; then
        export PACKAGE_ZIP="$results_dir/$runtime/org-ecs-servicerestart.zip"
        export PACKAGE_BUNDLE="$results_dir/$runtime/build/$runtime/TypeFunction/dist/handlers.js"
    fi
    passed=0
    failed=0
    skipped=0
    run_jest_suite package
    run_jest_suite faults "$(node_binary_of "$runtime")"
    run_contract_suite
    echo "$passed $failed $skipped" >"$results_dir/counts-$runtime"
}
runtimes=(nodejs22.x nodejs24.x)
run_check "package for nodejs24.x (make package RUNTIME=nodejs24.x)" env PACKAGE_OUT_DIR="$results_dir/nodejs24.x" scripts/package.sh nodejs24.x
for runtime in "${runtimes[@]}"; do
    if [[ -n "${TEST_RUNTIMES_ONE_BY_ONE:-}" ]]; then
        run_packaged_suites "$runtime" 2>&1 | tee "$results_dir/output-$runtime"
    else
        (run_packaged_suites "$runtime" >"$results_dir/output-$runtime" 2>&1) &
    fi
done
wait
for runtime in "${runtimes[@]}"; do
    [[ -n "${TEST_RUNTIMES_ONE_BY_ONE:-}" ]] || cat "$results_dir/output-$runtime"
    if [[ -s "$results_dir/counts-$runtime" ]]; then
        read -r p f s <"$results_dir/counts-$runtime"
    else
        echo "FAILED: the packaged suites for $runtime reported no count"
        p=0 f=1 s=0
    fi
    passed=$((passed + p))
    failed=$((failed + f))
    skipped=$((skipped + s))
done

summary="$passed passed, $failed failed"
if ((skipped > 0)); then
    summary="$summary, $skipped skipped"
fi
echo "$summary"
((failed == 0))
