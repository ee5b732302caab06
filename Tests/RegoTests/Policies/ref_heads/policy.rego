package cordon.limits

import rego.v1

limits[team].max_processes := n if {
	some team, t in data.teams
	n := t.size * 4
}

limits[team].network := t.network if {
	some team, t in data.teams
}

tier(n) := "large" if n >= 40
else := "medium" if n >= 12
else := "small"

team_tiers[team] := tier(l.max_processes) if some team, l in limits

within_limit if input.processes <= limits[input.team].max_processes
