"""The search index has no admin pages.

The index holds every unit's drafts; listing it in `/admin/` let the system administrator read
titles nobody showed them (issue 15: existence never leaks). It is written by the services and
rebuilt by `jianbao reindex`; `jianbao doctor` and the search page are how it is inspected.
"""
