#!/usr/bin/env bash
# Offline checks of terraform/, one per Nx target of terraform/project.json:
#   check.sh fmt       terraform fmt -check over every file
#   check.sh validate  init -backend=false + validate of every directory: the provider-free ones offline, the ones
#                      that need hashicorp/helm with the provider from RICOCHET_TERRAFORM_PLUGIN_DIR (or the
#                      registry, with TERRAFORM_REGISTRY=1)
#   check.sh test      terraform test of the provider-free values module, then every example's values rendered
#                      through the real chart (helm template: values.schema.json and the chart's own checks) and
#                      compared with the rendered objects and the chart's own defaults (check-render.mjs), and
#                      helm/udp-server/values-production.yaml compared with what envs/production deploys
#                      and, first, that every README's generated tables are what terraform-docs writes
#   check.sh values-production   writes helm/udp-server/values-production.yaml (values-production.mjs)
#   check.sh docs      writes the inputs/outputs/providers/requirements tables of each README (terraform-docs,
#                      .terraform-docs.yml: between <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS -->)
# Every step prints what it checked; the script exits non-zero on the first failure.
#
# Without the provider (no plugin directory, no registry), validate says which directories it could not validate
# and why; under CI=true that is a failure (CI builds the provider: tools/offline/terraform-provider).
# Likewise test without terraform-docs (built by `node tools/workspace/bootstrap.mjs go`, which needs Go).
set -euo pipefail

terraform_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
workspace=$(cd "$terraform_dir/.." && pwd)
cd "$terraform_dir"

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1 TF_INPUT=0
# Silence "Unable to open CLI configuration file" when the configured (or default) file does not exist; a real
# CLI configuration is always kept.
if [ ! -e "${TF_CLI_CONFIG_FILE:-${HOME:-/nonexistent}/.terraformrc}" ]; then
  export TF_CLI_CONFIG_FILE=/dev/null
fi
# .terraform/ of each initialised directory goes under tmp/ (git-ignored), not into the source tree; one tree per
# subcommand, so that validate and test may run in parallel (Nx does) without sharing a data dir.
data_root="$workspace/tmp/terraform/${1:-none}"

# Every directory holding .tf files, by whether `terraform init` works offline. A new directory must be added to
# one list: the guard below fails otherwise, so nothing is skipped silently.
provider_free=(modules/udp-server-values)
for example in modules/udp-server-values/examples/*/; do provider_free+=("${example%/}"); done
needs_helm=(modules/udp-server-release envs/staging envs/production)

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

require() {
  command -v "$1" >/dev/null 2>&1 || fail "$1 not found on PATH ($2)"
}

check_lists_cover_every_directory() {
  local dir listed
  while IFS= read -r dir; do
    listed=no
    for known in "${provider_free[@]}" "${needs_helm[@]}"; do [ "$dir" = "$known" ] && listed=yes; done
    [ "$listed" = yes ] || fail "$dir holds .tf files but is in neither list of terraform/scripts/check.sh"
  done < <(find . -name '*.tf' -not -path '*/.terraform/*' -printf '%h\n' | sed 's|^\./||' | sort -u)
}

data_dir_for() {
  echo "$data_root/${1//\//__}"
}

# terraform <args> in <dir> with its own data dir; prints the log only on failure.
tf_in() {
  local dir=$1
  shift
  local log
  log=$(mktemp)
  if ! TF_DATA_DIR=$(data_dir_for "$dir") terraform -chdir="$dir" "$@" -no-color >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "terraform $1 in terraform/$dir"
  fi
  rm -f "$log"
}

# The directories whose README.md carries tables generated from the code: the modules and the env roots. The
# examples' READMEs are walkthroughs, written by hand.
documented=()
for dir in modules/*/ envs/*/; do documented+=("${dir%/}"); done

cmd_docs() {
  require terraform-docs "node tools/workspace/bootstrap.mjs go builds it into .tools/bin"
  local dir
  for dir in "${documented[@]}"; do
    terraform-docs --config "$terraform_dir/.terraform-docs.yml" "$dir" >/dev/null ||
      fail "terraform-docs in terraform/$dir (its README.md needs the <!-- BEGIN_TF_DOCS --> and <!-- END_TF_DOCS --> markers)"
  done
  echo "docs: wrote the generated tables of ${#documented[@]} READMEs (${documented[*]})"
}

# The READMEs' generated tables against the code. Without terraform-docs it says so, and fails under CI=true.
docs_check() {
  if ! command -v terraform-docs >/dev/null 2>&1; then
    local why="terraform-docs is not on PATH (node tools/workspace/bootstrap.mjs go builds it into .tools/bin; needs Go)"
    [ "${CI:-}" = true ] && fail "under CI=true the READMEs are checked, but $why"
    echo "test: README tables NOT checked: $why"
    return 0
  fi
  local dir out
  for dir in "${documented[@]}"; do
    out=$(terraform-docs --config "$terraform_dir/.terraform-docs.yml" --output-check "$dir" 2>&1) ||
      fail "terraform/$dir/README.md: its generated tables differ from the code, or its markers are missing (terraform-docs: ${out//$'\n'/ }): run 'nx run terraform:docs' and commit the result"
  done
  echo "test: ok  the generated tables of ${#documented[@]} READMEs match the code ($(terraform-docs --version | cut -d' ' -f3); ${documented[*]})"
}

# The example that runs the values module once per envs/<env>/settings.yaml.
environments=modules/udp-server-values/examples/environments

# apply_example <dir>: init and apply an example root (it creates nothing: outputs only, state under tmp/), then
# write its outputs beside the state: <state>.module.json, and <state>.settings.json where it has that output.
# Prints the state path.
apply_example() {
  local example=$1 state
  state="$(data_dir_for "$example")/example.tfstate"
  tf_in "$example" init -backend=false -input=false
  tf_in "$example" apply -auto-approve -input=false -state="$state"
  TF_DATA_DIR=$(data_dir_for "$example") terraform -chdir="$example" output -state="$state" -json module >"$state.module.json" ||
    fail "terraform output module in terraform/$example"
  if [ "$example" = "$environments" ]; then
    TF_DATA_DIR=$(data_dir_for "$example") terraform -chdir="$example" output -state="$state" -json settings >"$state.settings.json" ||
      fail "terraform output settings in terraform/$example"
  fi
  echo "$state"
}

cmd_fmt() {
  require terraform "Terraform >= 1.9"
  local count
  count=$(find . \( -name '*.tf' -o -name '*.tfvars' -o -name '*.tftest.hcl' \) -not -path '*/.terraform/*' | wc -l)
  terraform fmt -check -recursive -diff . || fail "terraform fmt: run 'terraform fmt -recursive terraform' and commit the result"
  echo "fmt-check: ok, $count files in terraform/ are in canonical format (terraform fmt -check -recursive -diff)"
}

cmd_validate() {
  require terraform "Terraform >= 1.9"
  check_lists_cover_every_directory
  local dir
  for dir in "${provider_free[@]}"; do
    tf_in "$dir" init -backend=false -input=false
    tf_in "$dir" validate
    echo "validate: ok  terraform/$dir (init -backend=false, validate)"
  done
  local plugin_args=()
  if [ -n "${RICOCHET_TERRAFORM_PLUGIN_DIR:-}" ]; then
    [ -d "$RICOCHET_TERRAFORM_PLUGIN_DIR/registry.terraform.io/hashicorp/helm" ] ||
      fail "RICOCHET_TERRAFORM_PLUGIN_DIR=$RICOCHET_TERRAFORM_PLUGIN_DIR holds no hashicorp/helm build (nx run terraform-provider:build)"
    plugin_args=("-plugin-dir=$RICOCHET_TERRAFORM_PLUGIN_DIR")
  elif [ "${TERRAFORM_REGISTRY:-}" != 1 ]; then
    local why="no hashicorp/helm provider: RICOCHET_TERRAFORM_PLUGIN_DIR is unset (nx run terraform-provider:build prints it) and TERRAFORM_REGISTRY=1 (download from registry.terraform.io) is not set"
    [ "${CI:-}" = true ] && fail "under CI=true every directory is validated, but there is $why"
    for dir in "${needs_helm[@]}"; do echo "validate: NOT run for terraform/$dir: $why"; done
    return 0
  fi
  for dir in "${needs_helm[@]}"; do
    tf_in "$dir" init -backend=false -input=false "${plugin_args[@]}"
    tf_in "$dir" validate
    echo "validate: ok  terraform/$dir (init -backend=false ${plugin_args[*]:-from the registry}, validate)"
  done
}

cmd_test() {
  require terraform "Terraform >= 1.9"
  require helm "helm 3.x or 4.x: node tools/workspace/bootstrap.mjs installs it into .tools/bin"
  require node "Node, for the render check"
  docs_check
  local dir=modules/udp-server-values log summary
  tf_in "$dir" init -backend=false -input=false
  log=$(mktemp)
  if ! TF_DATA_DIR=$(data_dir_for "$dir") terraform -chdir="$dir" test -no-color >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    fail "terraform test in terraform/$dir"
  fi
  summary=$(grep -E '^(Success|Failure)! ' "$log" | tail -n 1)
  rm -f "$log"
  [ -n "$summary" ] || fail "terraform test in terraform/$dir printed no summary"
  echo "test: terraform/$dir: ${summary} (terraform test, tests/*.tftest.hcl)"

  # The values module's tests prove what it decides; this proves the chart accepts it. Each example root is
  # applied (it creates nothing: outputs only, state under tmp/) and its values_yaml rendered through the chart.
  local chart="$workspace/helm/udp-server" example state values report
  [ -f "$chart/Chart.yaml" ] || fail "chart not found at $chart"
  export HELM_CACHE_HOME="$data_root/helm/cache" HELM_CONFIG_HOME="$data_root/helm/config" HELM_DATA_HOME="$data_root/helm/data"
  for example in modules/udp-server-values/examples/*/; do
    example=${example%/}
    state=$(apply_example "$example")
    # One values module per example, or one per environment (examples/environments): each rendered on its own.
    local instance
    for instance in $(node scripts/check-render.mjs --instances "$state.module.json"); do
      values="$(data_dir_for "$example")/values-$instance"
      node scripts/check-render.mjs --values "$state.module.json" "$instance" "$values"
      helm template udp-server "$chart" --namespace ricochet -f "$values.yaml" >"$values.rendered.yaml" ||
        fail "helm template of helm/udp-server with the values of terraform/$example ($instance, $values.yaml)"
      report=$(node scripts/check-render.mjs "$values.json" "$values.rendered.yaml" "$chart/values.yaml") ||
        fail "the objects rendered from terraform/$example ($instance) do not match its values (manifest: $values.rendered.yaml)"
      echo "test: ok  terraform/$example${instance:+ ($instance)}: values accepted by helm/udp-server (schema, chart checks) and ${report#render: ok  }"
    done
  done

  # The chart's production values file is derived from the same run: it fails here when it has drifted.
  state="$(data_dir_for "$environments")/example.tfstate"
  report=$(node scripts/values-production.mjs check "$state.module.json" "$state.settings.json" "$chart") ||
    fail "helm/udp-server/values-production.yaml is not what terraform/envs/production deploys"
  echo "test: ${report#values-production: }"
}

cmd_values_production() {
  require terraform "Terraform >= 1.9"
  require node "Node, to write the file"
  local state
  state=$(apply_example "$environments")
  node scripts/values-production.mjs write "$state.module.json" "$state.settings.json" "$workspace/helm/udp-server"
}

case "${1:-}" in
  fmt) cmd_fmt ;;
  validate) cmd_validate ;;
  test) cmd_test ;;
  values-production) cmd_values_production ;;
  docs) cmd_docs ;;
  *)
    echo "usage: $0 fmt|validate|test|values-production|docs" >&2
    exit 2
    ;;
esac
