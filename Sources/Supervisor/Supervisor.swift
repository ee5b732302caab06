// Supervisor module.
