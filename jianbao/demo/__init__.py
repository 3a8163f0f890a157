"""The demo district 上街区: its real units, users for every role, and the items of
《上街信息》第35期 as submissions in different states. Built only through the services."""
