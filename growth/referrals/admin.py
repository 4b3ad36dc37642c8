"""Staff review of rewards held back as possible self-referrals (approve or reject, with a
note), and the programme's codes, referrals and ledger, read-only."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import ReviewForm
from .models import (
    Referral,
    ReferralCode,
    ReferralInvitation,
    ReferralReward,
    RewardLedgerEntry,
    RewardStatus,
)
from .rewards import reward_approve, reward_reject


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ReferralCode)
class ReferralCodeAdmin(ReadOnlyAdmin):
    list_display = ["code", "user", "created_at"]
    search_fields = ["code", "user__email"]
    list_select_related = ["user"]


@admin.register(Referral)
class ReferralAdmin(ReadOnlyAdmin):
    list_display = [
        "referee",
        "referrer",
        "code",
        "source",
        "flag_reasons",
        "paid_at",
        "created_at",
    ]
    list_filter = ["source"]
    search_fields = ["referee__email", "referrer__email", "code__code"]
    list_select_related = ["referee", "referrer", "code"]


class LedgerInline(admin.TabularInline):
    model = RewardLedgerEntry
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "amount", "currency", "note", "actor"]
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(ReferralReward)
class ReferralRewardAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "referrer",
        "referee",
        "status",
        "flags",
        "earned_at",
        "kind",
        "workspace",
        "reviewed_by",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["referrer__email", "referral__referee__email"]
    list_select_related = ["referrer", "referral__referee", "workspace", "reviewed_by"]
    inlines = [LedgerInline]
    actions = ["approve", "reject"]

    @admin.display(description=_("referee"))
    def referee(self, reward: ReferralReward):
        return reward.referral.referee

    @admin.display(description=_("flags"))
    def flags(self, reward: ReferralReward) -> str:
        return ", ".join(reward.referral.flag_reasons)

    def _review(
        self, request: HttpRequest, queryset: QuerySet, review, title: str
    ) -> HttpResponse | None:
        form = ReviewForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            done = skipped = 0
            for reward in queryset.filter(status=RewardStatus.PENDING_REVIEW):
                try:
                    review(reward=reward, actor=request.user, note=form.cleaned_data["note"])
                except ValidationError:
                    skipped += 1
                else:
                    done += 1
            skipped += queryset.exclude(status=RewardStatus.PENDING_REVIEW).count()
            self.message_user(
                request,
                ngettext("%(done)d reward reviewed.", "%(done)d rewards reviewed.", done)
                % {"done": done}
                + (
                    " "
                    + ngettext(
                        "%(skipped)d was not waiting for review.",
                        "%(skipped)d were not waiting for review.",
                        skipped,
                    )
                    % {"skipped": skipped}
                    if skipped
                    else ""
                ),
                messages.SUCCESS if done else messages.WARNING,
            )
            return None
        return TemplateResponse(
            request,
            "admin/referrals/review.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "rewards": queryset.select_related("referrer", "referral__referee"),
                "action": request.POST.get("action"),
                "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Approve the selected rewards (they become claimable)"))
    def approve(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._review(request, queryset, reward_approve, _("Approve referral rewards"))

    @admin.action(description=_("Reject the selected rewards"))
    def reject(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        return self._review(request, queryset, reward_reject, _("Reject referral rewards"))


@admin.register(ReferralInvitation)
class ReferralInvitationAdmin(ReadOnlyAdmin):
    list_display = ["sender", "email", "language", "created_at", "emailed_at"]
    search_fields = ["sender__email", "email"]
    list_select_related = ["sender"]
