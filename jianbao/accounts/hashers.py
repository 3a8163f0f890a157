"""Argon2id with the parameters OWASP recommends for interactive logins (19 MiB, 2 passes, one
lane) instead of Django's 100 MiB and 8 lanes: a login stays well under 100 ms on the small
two-core servers of a district office, and `jianbao demo` hashes its 21 accounts in seconds.
Hashes record their parameters, so older ones still verify (and are upgraded at the next login).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class JianbaoArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2id, m=19 MiB, t=2, p=1 (OWASP Password Storage Cheat Sheet)."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1
