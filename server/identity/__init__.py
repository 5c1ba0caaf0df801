"""Identity: pseudonymous peers, staff accounts, roles and permissions, tokens and passwords."""
