#!/usr/bin/env bash
# Issue 13's consumer test: uses NetSpec from the outside, as a user would, from packages only.
#  1. packs NetSpec (generator), NetSpec.Runtime and NetSpec.Onnx from clean as a release is packed
#     (ContinuousIntegrationBuild) with a version no earlier run used, into a temporary folder feed, and checks what the packages hold (analyzer
#     DLLs side by side, build files, dependencies, readme, symbols);
#  1b. deterministic builds: packs them again from clean in a fresh compiler process (no build server: a generator
#     that orders its output by string hash, as PolySharp did, then differs) and compares every file in every package
#     byte for byte (zip entries' timestamps aside; about a minute);
#  2. creates a fresh console project in a temporary folder: tests/consumer/NuGet.config (that feed plus nuget.org)
#     and the project, specs and Program.cs from the marked blocks of docs/using-netspec.md; no ProjectReference;
#  3. builds it (warnings as errors, so a generator that cannot load, CS8785, fails it), runs it: trains a few steps
#     on random data, saves and reloads the weights (safetensors), and compares the two networks' predictions bit for bit;
#     exports the network to ONNX and runs the model in ONNX Runtime against NetSpec's eval forward;
#  4. swaps in tests/consumer/broken/tiny-seg.netspec.yaml and checks that the build fails with NS0003 at the
#     misspelled op's line and column in that file, and that a *.netspec.yaml outside a specs folder is named in a
#     warning (the generator compiles only specs inside one).
# Prints "consumer test passed" and exits 0, or names the failed check and exits 1.
# The unique version keeps stale packages out; its folders in the NuGet cache are removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
started=$SECONDS

version="0.1.0-consumer.$(date -u +%Y%m%d%H%M%S).$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/netspec-consumer.XXXXXX")
cache="${NUGET_PACKAGES:-$HOME/.nuget/packages}"
cleanup() {
    rm -rf "$cache/netspec/$version" "$cache/netspec.runtime/$version" "$cache/netspec.onnx/$version"
    [ -n "${NETSPEC_KEEP_CONSUMER:-}" ] || rm -rf "$work"   # NETSPEC_KEEP_CONSUMER=1 keeps the project to look at
}
trap cleanup EXIT
fail() { echo "consumer test FAILED: $*" >&2; exit 1; }
feed="$work/feed"
app="$work/consumer"
mkdir -p "$feed" "$app"

projects=(src/NetSpec.Generator src/NetSpec.Runtime src/NetSpec.Onnx)
# pack OUT [MSBUILD-ARGS...]: the three packages from clean, as docs/using-netspec.md packs a release. From clean:
# ContinuousIntegrationBuild (paths mapped to /_/) does not count as a change, so an earlier plain build would be reused.
# The repository's Release build of these projects is left as this script built it.
pack() {
    local out=$1; shift
    for project in "${projects[@]}"; do
        dotnet clean "$project" -c Release --nologo -v quiet > /dev/null || fail "dotnet clean $project"
    done
    for project in "${projects[@]}"; do
        dotnet pack "$project" -c Release -o "$out" -p:PackageVersion="$version" -p:ContinuousIntegrationBuild=true "$@" \
            --nologo -v quiet || fail "dotnet pack $project"
    done
}
echo "== pack $version into $feed"
pack "$feed"

generator="$feed/NetSpec.$version.nupkg"
runtime="$feed/NetSpec.Runtime.$version.nupkg"
onnx="$feed/NetSpec.Onnx.$version.nupkg"
for package in "$generator" "$runtime" "$onnx"; do [ -f "$package" ] || fail "no $package"; done
for symbols in NetSpec.Runtime NetSpec.Onnx; do
    [ -f "$feed/$symbols.$version.snupkg" ] || fail "no $symbols symbols package (.snupkg)"
done
ls -l "$feed"
for entry in analyzers/dotnet/cs/NetSpec.Generator.dll analyzers/dotnet/cs/NetSpec.Dsl.dll \
    analyzers/dotnet/cs/YamlDotNet.dll build/NetSpec.props build/NetSpec.targets \
    buildTransitive/NetSpec.props buildTransitive/NetSpec.targets README.md; do
    unzip -l "$generator" "$entry" > /dev/null || fail "NetSpec package lacks $entry"
done
unzip -l "$runtime" lib/net10.0/NetSpec.Runtime.xml > /dev/null || fail "NetSpec.Runtime package lacks its XML docs"
if unzip -l "$generator" | grep -q ' lib/'; then fail "NetSpec package has a lib/ folder: it must only be an analyzer"; fi
generator_nuspec=$(unzip -p "$generator" NetSpec.nuspec)
grep -q '<developmentDependency>true</developmentDependency>' <<< "$generator_nuspec" || fail "NetSpec is not a development dependency"
if grep -q '<dependency ' <<< "$generator_nuspec"; then fail "NetSpec package has dependencies"; fi
runtime_nuspec=$(unzip -p "$runtime" NetSpec.Runtime.nuspec)
for dependency in ILGPU ILGPU.Algorithms; do
    grep -q "<dependency id=\"$dependency\"" <<< "$runtime_nuspec" || fail "NetSpec.Runtime does not depend on $dependency"
done
onnx_nuspec=$(unzip -p "$onnx" NetSpec.Onnx.nuspec)
for dependency in NetSpec.Runtime Google.Protobuf YamlDotNet; do   # NetSpec.Dsl travels in its lib/, YamlDotNet is its dependency
    grep -q "<dependency id=\"$dependency\"" <<< "$onnx_nuspec" || fail "NetSpec.Onnx does not depend on $dependency"
done
for entry in lib/net10.0/NetSpec.Onnx.dll lib/net10.0/NetSpec.Dsl.dll; do
    unzip -l "$onnx" "$entry" > /dev/null || fail "NetSpec.Onnx package lacks $entry"
done
for nuspec in "$generator_nuspec" "$runtime_nuspec" "$onnx_nuspec"; do
    for field in "<version>$version</version>" '<readme>README.md</readme>' '<description>' '<tags>'; do
        grep -qF "$field" <<< "$nuspec" || fail "a nuspec lacks $field"
    done
done

echo "== deterministic: pack again from clean without the build server, compare every file of every package"
again_started=$SECONDS
pack "$work/feed-again" -p:UseSharedCompilation=false
for package in "$feed"/*.nupkg "$feed"/*.snupkg; do
    name=$(basename "$package")
    [ -f "$work/feed-again/$name" ] || fail "the second pack made no $name"
    mkdir -p "$work/unpacked/1/$name" "$work/unpacked/2/$name"
    unzip -q "$package" -d "$work/unpacked/1/$name"
    unzip -q "$work/feed-again/$name" -d "$work/unpacked/2/$name"
done
differ=$(diff -rq "$work/unpacked/1" "$work/unpacked/2") \
    || fail "two packs of the same sources differ (not deterministic):"$'\n'"${differ//$work\/unpacked\//}"
echo "$(find "$work/unpacked/1" -type f | wc -l) files in $(ls "$feed" | wc -l) packages identical ($((SECONDS - again_started)) s)"

echo "== consumer project in $app"
sed "s|LOCAL_FEED|$feed|" tests/consumer/NuGet.config > "$app/NuGet.config"
# Each block under '<!-- consumer-file: PATH -->' in the doc becomes PATH (the fence lines themselves left out).
awk -v app="$app" '
    /^<!-- consumer-file: .* -->$/ { path = $3; next }
    path != "" && /^```/ { if (inside) { inside = 0; path = "" } else { inside = 1; out = app "/" path; system("mkdir -p \"$(dirname \"" out "\")\""); printf "" > out } next }
    inside { print >> out }
' docs/using-netspec.md
for file in Consumer.csproj Program.cs OnnxCheck.cs specs/seg-base.netspec.yaml specs/tiny-seg.netspec.yaml; do
    [ -s "$app/$file" ] || fail "docs/using-netspec.md gave no $file"
done
grep -q 'Version="0.1.0"' "$app/Consumer.csproj" || fail "the doc's project does not reference version 0.1.0"
sed -i "s|Version=\"0.1.0\"|Version=\"$version\"|g" "$app/Consumer.csproj"

echo "== build and run"
cd "$app"
dotnet build -c Release -p:TreatWarningsAsErrors=true --nologo -v quiet > build.log 2>&1 || { cat build.log; fail "the consumer's build"; }
dotnet bin/Release/net10.0/Consumer.dll "$work/tiny-seg.safetensors" || fail "the consumer's program (train, save, reload, predict, ONNX)"
[ -s "$work/tiny-seg.safetensors" ] || fail "no weights written"
[ -s "$work/tiny-seg.onnx" ] || fail "no ONNX model written"

echo "== a spec error fails the build at its YAML line"
cp "$repo/tests/consumer/broken/tiny-seg.netspec.yaml" specs/tiny-seg.netspec.yaml
mkdir -p models && cp specs/seg-base.netspec.yaml models/stray.netspec.yaml
token=conv2dd
line=$(grep -n "$token" specs/tiny-seg.netspec.yaml | head -1 | cut -d: -f1)
column=$(awk -v n="$line" -v t="$token" 'NR == n { print index($0, t) }' specs/tiny-seg.netspec.yaml)   # at the op's name
expected="$app/specs/tiny-seg.netspec.yaml($line,$column): error NS0003: Unknown op '$token'"
if dotnet build -c Release --nologo -v quiet > broken.log 2>&1; then fail "the build with a misspelled op succeeded"; fi
grep -qF "$expected" broken.log || { cat broken.log; fail "expected: $expected"; }
echo "$(grep -F "$expected" broken.log | head -1)"
stray="$app/models/stray.netspec.yaml : warning NETSPEC001"   # outside specs/: picked up, named, not compiled
grep -qF "$stray" broken.log || { cat broken.log; fail "expected: $stray"; }

echo "consumer test passed ($((SECONDS - started)) s)"
