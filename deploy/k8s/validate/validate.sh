#!/usr/bin/env bash
# Checks the manifests without a cluster: each document is parsed into fabric8's typed
# Kubernetes model (generated from the Kubernetes OpenAPI); an unknown field or a wrong type
# fails. `kubectl apply --dry-run=client` needs a server for its schema; kubeconform needs
# to download its schemas. Needs Java 21+ (for the single-file program) and Maven Central.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
java="${JAVA:-java}"
"$here/../../../mvnw" -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$here/target/cp.txt"
kubectl kustomize "$here/.." >/dev/null 2>&1 && echo "kustomize build: ok" || echo "kustomize build: kubectl not here, skipped"
"$java" -cp "$(cat "$here/target/cp.txt")" "$here/Validate.java" "$here"/../namespace.yaml "$here"/../redis.yaml \
	"$here"/../llmspell.yaml "$here"/../pdb.yaml "$here"/../hpa.yaml
