"""/api/v1/ for the videos app: templates, videos, versions, brand kits, exports, review and
schedules — one module per subdomain, as in videos/views/; every route is listed in urls.py.

Same services and permissions as the pages. Lists are scoped to the caller's workspaces
(`?workspace=` narrows to one); one object is fetched through the permission helper, so
outsiders get 404 and a role without the action 403. Service errors (Django ValidationError)
become 400 in the shared error format (videocreator/api.py).
"""
