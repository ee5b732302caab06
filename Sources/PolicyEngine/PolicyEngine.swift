// PolicyEngine module.
