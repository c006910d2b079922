"""The caseworkers' review pages, the members' number checker and alert feed (FastAPI, server-rendered)."""
