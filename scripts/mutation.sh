#!/usr/bin/env bash
# Mutation testing (Stryker.NET, the dotnet-stryker tool of dotnet-tools.json) over the code that defends users: does
# the suite notice when a defence is taken out? Not part of CI: one file can take 5–15 minutes on two cores, because
# Stryker compiles the whole app with its mutants and the tests that cover a defence start the real app and tenant.
#
#   bash scripts/mutation.sh                                   # every file below, one Stryker run each
#   bash scripts/mutation.sh Pages/Account/Login.cshtml.cs     # one file (paths under web/LegacyLinking.Web)
#   bash scripts/mutation.sh 'Linking/LinkingService.cs{40..60}' # only lines 40–60 of it (a re-run over survivors)
#   bash scripts/mutation.sh --together A.cs B.cs              # one Stryker run for both (their classes together)
#
# Each file is mutated alone and tested only by the test classes listed for it (a test-case filter), with per-test
# coverage ("perTest", scripts/stryker-config.json): a mutant runs only the tests that reach it. Stryker runs tests
# through Microsoft Testing Platform (xunit v3's own runner); through VSTest it cannot see which test covers what,
# nor switch a mutant on in the test process. Concurrency stays 1 (STRYKER_CONCURRENCY to change it): the tests
# bind loopback ports and the machine is shared. Reports (html, json) go to artifacts/mutation/<file>/reports.
# Record the scores and every surviving mutant (killed by a new test, or explained in one line) in docs/testing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# The defending files and the test classes that cover each ('|' between several). Each name is matched as a part of
# the tests' full names (FullyQualifiedName~…), so keep the namespace: "Web.Linking.GuardTests", not "GuardTests" (which
# also matches LocalTenant.Hosting.RequestOriginGuardTests).
linking="Web.Linking.GuardTests|Web.Linking.SecondaryLoginReplayTests|Web.Linking.LinkCallbackErrorTests"
declare -A tests=(
  [Pages/Account/Login.cshtml.cs]="Web.Pages.Account.SignInTests"
  [Linking/Secondary/LinkAttempt.cs]="$linking|Web.MigrationTracking.RecordingThroughTheAppTests|Web.Linking.LegacyAuthorizeTruthTests"
  [Linking/Secondary/LinkCallbackResults.cs]="$linking"
  [Linking/Secondary/SecondaryLoginOptions.cs]="$linking|Web.Linking.MutatedTokenTests|Web.Linking.ReauthenticationTests|Web.Linking.LinkStartGuardTests|Web.Linking.LegacyAuthorizeTokenTests|Web.Linking.MissingAuthTimeTests|Web.Auth0.StalledTenantTests.A_second_accounts_login_the_tenant_does_not_complete"
  [Authentication/Auth0OidcOptions.cs]="Web.Pages.Account.SignInTests|Web.Authentication.SessionEpochsTests|Web.Pages.Account.SignInRefusalTests|Web.Linking.MutatedTokenTests|Web.Authentication.SessionCutSignInTests|Web.Authentication.SessionCookieTests|Web.Auth0.StalledTenantTests.A_code_exchange_the_tenant_fails_with_a_5xx"
  [Linking/StepUp/StepUpGate.cs]="Web.Linking.StepUp.StepUpGateTests|Web.Linking.ReauthenticationTests|Web.Linking.MissingAuthTimeTests"
  [Linking/LinkingService.cs]="$linking|Web.Linking.LinkingServiceTests|Web.Linking.SuggestionHandleTests|Web.Linking.UnsafeRequestTests|Web.Linking.ReauthenticationTests|Web.Linking.MissingAuthTimeTests|Web.Linking.MutatedTokenTests.A_stale_secondary_login|Web.PasswordReset.PasswordResetReviewTests|Web.Linking.LegacyAuthorizeTruthTests|Web.Linking.ShadowCheckTests|Web.Linking.LinkStartGuardTests"
  [Authentication/SessionEpochs.cs]="Web.Authentication.SessionEpochsTests|Web.Authentication.SessionEpochBoundaryTests|Web.PasswordReset.PasswordResetReviewTests|Web.PasswordReset.PasswordResetCheckTests|Web.Linking.MissingAuthTimeTests|Web.Authentication.SessionCutRaceTestsOnSqlite|Web.Authentication.SessionCutSignInTests|Web.Pages.Account.SignInTests"
  [Pages/Account/Logout.cshtml.cs]="Web.Pages.Account.SignInTests|Web.Pages.Account.SignOutTests|Web.Authentication.SessionCutSignInTests|Web.Authentication.SessionStateOwnerTests"
)
defaults=(
  Pages/Account/Login.cshtml.cs
  Linking/Secondary/LinkAttempt.cs
  Linking/Secondary/LinkCallbackResults.cs
  Linking/Secondary/SecondaryLoginOptions.cs
  Authentication/Auth0OidcOptions.cs
  Linking/StepUp/StepUpGate.cs
  Linking/LinkingService.cs
  Authentication/SessionEpochs.cs
  Pages/Account/Logout.cshtml.cs
)

together=0
if [[ ${1:-} == --together ]]; then together=1; shift; fi
files=("$@")
[[ ${#files[@]} -gt 0 ]] || files=("${defaults[@]}")

dotnet tool restore >/dev/null

# One Stryker run: the mutate patterns, the test classes ('|' between), the report folder.
stryker() {
  local classes=$1 out=$2; shift 2
  local filter mutate=()
  filter=$(tr '|' '\n' <<<"$classes" | sort -u | sed 's/^/FullyQualifiedName~/' | paste -sd'|')
  for file in "$@"; do mutate+=(--mutate "**/$file"); done
  echo "mutation: $* (tests: $classes)"
  (cd web/LegacyLinking.Web && dotnet dotnet-stryker -f ../../scripts/stryker-config.json --test-runner mtp \
    --concurrency "${STRYKER_CONCURRENCY:-1}" "${mutate[@]}" --test-case-filter "$filter" --output "$out" --skip-version-check)
}

# Killed and timed-out mutants count as detected; compile errors and ignored ones are not mutants the tests saw.
score() {
  local file=$1 report=$2
  jq -r --arg f "$file" --arg p "/web/LegacyLinking.Web/${file%%\{*}" '[.files | to_entries[] | select(.key | endswith($p)) | .value.mutants[]
      | select(.status != "Ignored" and .status != "CompileError")] as $m
    | ($m | map(select(.status == "Killed" or .status == "Timeout")) | length) as $k
    | "\($f): \($k)/\($m | length) detected" + (if ($m | length) > 0 then " (\(($k * 100 / ($m | length)) | floor) %)" else "" end)
      + ([$m[] | select(.status != "Killed" and .status != "Timeout") | " | \(.status) #\(.id) line \(.location.start.line): \(.mutatorName) → \(.replacement // "")"] | join(""))' "$report"
}

all_classes=() paths=()
for i in "${!files[@]}"; do
  file=${files[$i]#web/LegacyLinking.Web/}
  files[$i]=$file
  path=${file%%\{*} # "File.cs{40..52}" mutates only lines 40 to 52 (Stryker's span syntax): a re-run over survivors
  [[ -f web/LegacyLinking.Web/$path ]] || { echo "mutation: no such file web/LegacyLinking.Web/$path" >&2; exit 2; }
  classes=${MUTATION_TESTS:-${tests[$path]:-}}
  [[ -n $classes ]] || { echo "mutation: no test classes listed for $file (add it to scripts/mutation.sh or set MUTATION_TESTS)" >&2; exit 2; }
  all_classes+=("$classes")
done

summary=()
if (( together )); then
  # One run for several files saves Stryker's compile of the app per file (most of a short run); each mutant still
  # runs only the tests that reach it, but any listed class may kill it: list the ones that did for its file.
  out=$root/artifacts/mutation/together
  stryker "$(IFS='|'; echo "${all_classes[*]}")" "$out" "${files[@]}"
  for file in "${files[@]}"; do summary+=("$(score "$file" "$out/reports/mutation-report.json")"); done
else
  for i in "${!files[@]}"; do
    file=${files[$i]}
    out=$root/artifacts/mutation/${file//[\/\{\}]/_}
    stryker "${all_classes[$i]}" "$out" "$file"
    summary+=("$(score "$file" "$out/reports/mutation-report.json")")
  done
fi
printf '%s\n' "${summary[@]}"
