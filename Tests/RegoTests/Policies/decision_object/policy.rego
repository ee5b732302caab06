package cordon.decision

import rego.v1

deny_reasons contains "agent is disabled" if data.agents[input.agent].disabled

deny_reasons contains $"{input.action} is not a known action" if not input.action in data.actions

allow_reasons contains "owner of the workspace" if input.user == data.agents[input.agent].owner

ask_reasons contains "first use of this capability" if not input.capability in data.agents[input.agent].used

decision := {"allow": false, "ask": false, "reasons": deny_reasons} if {
	count(deny_reasons) > 0
} else := {"allow": true, "ask": false, "reasons": allow_reasons} if {
	count(allow_reasons) > 0
} else := {"allow": false, "ask": true, "reasons": ask_reasons} if {
	count(ask_reasons) > 0
} else := {"allow": false, "ask": false, "reasons": {"default deny"}}
