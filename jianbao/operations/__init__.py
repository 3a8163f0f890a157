"""Running an installation: backups and restores, health checks and repairs (`jianbao doctor`),
recovery of background tasks a crash interrupted. Plain modules over the other apps' models."""
