#!/usr/bin/env bash
# Prints the exact commands that publish a release of the built package to the organisation's package
# bucket and roll it out with the StackSet of deploy/org-rollout.yaml. It calls no AWS API: you read the
# commands, then run them with the management (or delegated administrator) account's credentials.
#
#   make release BUCKET=my-packages OUS=ou-ab12-cdef3456,ou-ab12-ghij7890 REGIONS=eu-west-1,eu-central-1
#   scripts/release.sh BUCKET OUS REGIONS   (RELEASE_PACKAGE=FILE, STACK_NAME=NAME to override)
#
# The release name is the package.json version plus the start of the package's SHA-256, so a new
# build never overwrites the objects that a running StackSet (or a rollback) still needs.
set -euo pipefail
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

bucket="${1:-}"
ous="${2:-}"
regions="${3:-}"
package="${RELEASE_PACKAGE:-org-ecs-servicerestart.zip}"
stack_name="${STACK_NAME:-org-ecs-servicerestart-rollout}"

fail() {
    echo "make release: $*" >&2
    exit 2
}
shown() {
    # The offending value, trimmed, for an error message.
    local value="$1"
    ((${#value} > 80)) && value="${value:0:80}…"
    printf '"%s"' "$value"
}

[[ "$bucket" =~ ^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$ ]] ||
    fail "BUCKET is $(shown "$bucket"): give the package bucket's name (the BucketName output of deploy/package-bucket.yaml), e.g. BUCKET=my-org-packages."
[[ "$ous" =~ ^((ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32}),)*(ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$ ]] ||
    fail "OUS is $(shown "$ous"): give the target OU ids (or the root id), comma-separated, e.g. OUS=ou-ab12-cdef3456,ou-ab12-ghij7890."
[[ "$regions" =~ ^([a-z]{2}(-[a-z]+)+-[0-9],)*[a-z]{2}(-[a-z]+)+-[0-9]$ ]] ||
    fail "REGIONS is $(shown "$regions"): give region names, comma-separated, in rollout order, e.g. REGIONS=eu-west-1,eu-central-1."
[[ -s "$package" ]] || fail "$(shown "$package") is missing: build it with make package (make release does)."

version="$(node -p 'require("./package.json").version')"
digest="$(sha256sum "$package" | cut -c1-12)"
release="$version-$digest"
prefix="s3://$bucket/org-ecs-servicerestart/$release"
first_region="${regions%%,*}"

cat <<COMMANDS
Release $release of $package ($(du -k "$package" | cut -f1) KiB). Nothing was sent to AWS; run these commands
with the credentials of the account that owns the bucket and the StackSet, in the bucket's region:

# 1. Upload the package and the template of this release:
aws s3 cp $package $prefix/org-ecs-servicerestart.zip
aws s3 cp deploy/register-type.yaml $prefix/register-type.yaml

# 2. Roll it out: creates the StackSet the first time, updates every stack instance afterwards
#    (one region at a time, $first_region first). Add CallAs=DELEGATED_ADMIN from a delegated administrator.
aws cloudformation deploy --stack-name $stack_name --template-file deploy/org-rollout.yaml --parameter-overrides PackageBucket=$bucket Release=$release OrganizationalUnitIds=$ous Regions=$regions

# 3. Follow the rollout:
aws cloudformation list-stack-set-operations --stack-set-name $stack_name --max-results 1
aws cloudformation list-stack-instances --stack-set-name $stack_name --query "Summaries[?StackInstanceStatus.DetailedStatus!='SUCCEEDED']"

# Roll back: run step 2 again with Release= the previous release (its objects are still in the bucket).
COMMANDS
