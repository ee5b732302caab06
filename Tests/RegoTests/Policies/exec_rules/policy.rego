package cordon.exec

import rego.v1

default allow := false

binary := input.argv[0]

allowed_binary if binary in data.commands

dangerous_flag if {
	some i
	input.argv[i] in {"-rf", "--force", "--no-preserve-root"}
	i > 0
}

shell_metachar if {
	some arg in input.argv
	some c in [";", "|", "&", "`", "$("]
	contains(arg, c)
}

allow if {
	allowed_binary
	not dangerous_flag
	not shell_metachar
	count(input.argv) <= data.max_args
}

violations := [v | some v in ["binary", "flag", "metachar"]; violated(v)]

violated("binary") if not allowed_binary

violated("flag") if dangerous_flag

violated("metachar") if shell_metachar
