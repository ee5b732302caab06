// EgressProxy module.
