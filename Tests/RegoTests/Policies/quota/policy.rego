package cordon.quota

import rego.v1

usage := [u.bytes | some u in input.uploads]

total := sum(usage)

largest := max(usage) if count(usage) > 0

over_quota if total > data.quota_bytes

per_host[host] := sum([u.bytes | some u in input.uploads; u.host == host]) if {
	some upload in input.uploads
	host := upload.host
}

message := $"used {total} of {data.quota_bytes} bytes across {count(per_host)} hosts"

average := total / count(usage) if count(usage) > 0

rounded_average := round(average)
