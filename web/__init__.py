"""The caseworkers' review pages, the members' number checker and alert feed (server-rendered)."""
