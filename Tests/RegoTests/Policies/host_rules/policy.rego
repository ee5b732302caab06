package cordon.net

import rego.v1

default allow := false

host_matches(pattern, host) if pattern == host

host_matches(pattern, host) if {
	startswith(pattern, "*.")
	suffix := substring(pattern, 1, -1)
	endswith(host, suffix)
	host != trim_prefix(suffix, ".")
}

port_matches(rule, port) if rule.port == "*"

port_matches(rule, port) if rule.port == port

matching_rules contains i if {
	some i, rule in data.egress
	host_matches(rule.host, lower(input.host))
	port_matches(rule, input.port)
}

allow if count(matching_rules) > 0

reason := sprintf("matched rule %v", [min(matching_rules)]) if allow else := "no egress rule matches"
