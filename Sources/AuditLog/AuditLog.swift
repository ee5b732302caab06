// AuditLog module.
