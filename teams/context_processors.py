from django.utils.functional import SimpleLazyObject

from .selectors import current_membership, request_memberships, request_unread_count


def workspaces(request) -> dict:
    if not hasattr(request, "user") or not request.user.is_authenticated:
        return {}
    membership = current_membership(request=request)
    return {
        "current_membership": membership,
        "current_workspace": membership.team if membership else None,
        "user_memberships": request_memberships(request=request),
        "unread_notifications": SimpleLazyObject(lambda: request_unread_count(request=request)),
    }
