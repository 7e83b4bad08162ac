"""Team projects in the window: opening by URL, live updates from the server, who is there."""
