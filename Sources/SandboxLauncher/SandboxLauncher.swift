// SandboxLauncher module.
