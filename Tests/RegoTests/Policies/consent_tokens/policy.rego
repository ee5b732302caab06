package cordon.consent

import rego.v1

token := data.tokens[input.token]

valid_token if {
	token.expires > input.now
	not token.revoked
}

covers(scope, cap) if scope == cap

covers(scope, cap) if {
	endswith(scope, "/*")
	startswith(cap, trim_suffix(scope, "*"))
}

granted contains cap if {
	valid_token
	some cap in input.capabilities
	some scope in token.scopes
	covers(scope, cap)
}

missing := {c | some c in input.capabilities} - granted

allow if {
	valid_token
	count(missing) == 0
}
