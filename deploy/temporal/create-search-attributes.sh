#!/bin/sh
# One-shot (service temporal-setup, image temporalio/admin-tools): registers the search attributes
# OpsDesk workflows set, on the namespace they run in. Safe to run again: attributes that exist are
# left alone. The list is OpsDeskSearchAttributes.All (OpsDesk.Workflows/Temporal/SearchAttributes.cs);
# a test keeps the two in step.
set -eu

address="${TEMPORAL_ADDRESS:-temporal:7233}"
namespace="${TEMPORAL_NAMESPACE:-default}"

# The server creates the namespace on its first start; wait for it.
tries=0
until temporal operator namespace describe --address "$address" --namespace "$namespace" >/dev/null 2>&1; do
    tries=$((tries + 1))
    if [ "$tries" -ge 60 ]; then
        echo "temporal-setup: namespace $namespace did not appear at $address" >&2
        exit 1
    fi
    sleep 2
done

existing="$(temporal operator search-attribute list --address "$address" --namespace "$namespace")"

create() {
    if printf '%s\n' "$existing" | grep -qw -- "$1"; then
        echo "temporal-setup: search attribute $1 exists"
    else
        temporal operator search-attribute create --address "$address" --namespace "$namespace" --name "$1" --type "$2"
        echo "temporal-setup: created search attribute $1 ($2)"
    fi
}

create TicketId Int
create TicketPriority Keyword
create TicketCategory Keyword
create TriageState Keyword
