"""Teams services, one module per subdomain: workspaces, memberships, invitations, notifications
and review. Import a service from the module that holds it."""
