package cordon.env

import rego.v1

secret_markers := ["TOKEN", "SECRET", "PASSWORD", "KEY"]

is_secret(name) if {
	some m in secret_markers
	contains(upper(name), m)
}

passed := {name: value |
	some name, value in input.env
	name in data.allowed_env
	not is_secret(name)
}

dropped := sort([name | some name, _ in input.env; not passed[name]])

summary := {"passed": count(passed), "dropped": count(dropped), "names": concat(",", dropped)}
