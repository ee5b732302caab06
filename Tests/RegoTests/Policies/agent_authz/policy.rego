package agent.authz

default allow := false

allow if {
	input.action == "read_file"
	not forbidden_path(input.path)
	data.consents[input.request_id] == true
}

allow if {
	input.action == "write_file"
	startswith(input.path, data.workspace)
	not forbidden_path(input.path)
}

forbidden_path(p) if startswith(p, "/etc")

forbidden_path(p) if contains(p, "/.ssh")
