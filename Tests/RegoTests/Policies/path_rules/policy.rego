package cordon.paths

import rego.v1

protected_prefixes := ["/etc/", "/root/", "/var/lib/"]

protected_names := {".ssh", ".gnupg", ".aws"}

segments := [s | some s in split(input.path, "/"); s != ""]

protected if {
	some prefix in protected_prefixes
	startswith(input.path, prefix)
}

protected if {
	some s in segments
	s in protected_names
}

clean if {
	every s in segments {
		s != ".."
		not startswith(s, "~")
	}
}

allow if {
	clean
	not protected
	startswith(input.path, "/home/")
}

depth := count(segments)
