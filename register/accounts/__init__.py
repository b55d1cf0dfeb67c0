"""Users, memberships, API tokens, browser sessions and sign-in throttling."""
