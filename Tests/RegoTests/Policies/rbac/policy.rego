package rbac

import rego.v1

user_roles := {r | some r in data.bindings[input.user]}

permissions[role] := perms if {
	some role, perms in data.roles
}

effective := {p | some r in user_roles; some p in permissions[r]}

allow if {
	some p in effective
	p.action == input.action
	glob_like(p.resource, input.resource)
}

glob_like(pattern, res) if pattern == res

glob_like(pattern, res) if {
	endswith(pattern, "*")
	startswith(res, trim_suffix(pattern, "*"))
}

roles_by_size := {r: count(ps) | some r, ps in data.roles}
