"""Pages of instruction follow-up (批示督办). Thin: form → service → redirect/render."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianbao.accounts.models import User
from jianbao.accounts.web import add_form_errors, flash_errors, render_partial
from jianbao.bulletins.models import EntrySource
from jianbao.instructions import selectors, services
from jianbao.instructions.forms import AskMoreForm, FeedbackForm, FilterForm, FollowUpForm

PAGE_SIZE = 30


def _user(request: HttpRequest) -> User:
    return request.user  # type: ignore[return-value]


def _require_reader(user: User) -> None:
    if not (
        selectors.may_manage(user) or selectors.is_leader(user) or selectors.is_unit_member(user)
    ):
        raise PermissionDenied("只有信息科、领导和承办单位可以查看批示督办。")


@login_required
def follow_up_list(request: HttpRequest) -> HttpResponse:
    """Instructions with filters: the office sees all, a leader his own, a unit those to it."""
    user = _user(request)
    _require_reader(user)
    form = FilterForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    unit = data.get("unit")
    filters = selectors.FollowUpFilter(
        state=data.get("state") or None, unit_id=unit.pk if unit else None
    )
    qs = selectors.follow_up_list(user, filters)
    context = {
        "form": form,
        "page": Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page")),
        "manager": selectors.may_manage(user),
        "today": timezone.localdate(),
        "mine": False,
    }
    return render_partial(request, "instructions/list.html", "results", context)


@login_required
def my_instructions(request: HttpRequest) -> HttpResponse:
    """「我的批示」: a leader's own instructions and the units' feedback."""
    user = _user(request)
    if not selectors.is_leader(user):
        raise PermissionDenied("只有领导可以查看「我的批示」。")
    qs = selectors.follow_ups_visible_to(user).filter(leader=user)
    context = {
        "page": Paginator(
            qs.prefetch_related("targets__unit", "targets__messages"), PAGE_SIZE
        ).get_page(request.GET.get("page")),
        "today": timezone.localdate(),
        "mine": True,
    }
    return render(request, "instructions/list.html", context)


def _initial(request: HttpRequest, user: User) -> dict[str, object]:
    initial: dict[str, object] = {"date": timezone.localdate()}
    entry = request.GET.get("entry", "")
    if entry.isdigit() and len(entry) < 10:
        initial["entry"] = entry
        initial["units"] = list(
            EntrySource.objects.filter(entry_id=int(entry)).values_list("unit_id", flat=True)
        )
    if selectors.is_leader(user) and not selectors.may_manage(user):
        initial["leader_name"] = str(user)
    return initial


@login_required
def create(request: HttpRequest) -> HttpResponse:
    """Record an instruction on a printed entry and hand it to units (leader or editor)."""
    user = _user(request)
    if not selectors.may_record(user):
        raise PermissionDenied("只有领导或信息科编辑可以记录批示。")
    form = FollowUpForm(
        request.POST or None, request.FILES or None, initial=_initial(request, user)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            follow_up = services.do_create_follow_up(
                actor=user, entry=data["entry"], leader_name=data["leader_name"],
                leader_level=data["leader_level"], day=data["date"], text=data["text"],
                units=data["units"], due_date=data["due_date"], evidence=data.get("evidence"),
            )  # fmt: skip
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "批示已记录并交办。")
            return redirect("instructions:detail", pk=follow_up.pk)
    entry = form["entry"].value()
    context = {"form": form, "entry_id": entry}
    status = 400 if form.errors else 200
    return render(request, "instructions/form.html", context, status=status)


def _detail_context(user: User, pk: int) -> dict[str, object]:
    follow_up = selectors.get_follow_up(user, pk)
    manager = selectors.may_manage(user)
    asker = manager or (selectors.is_leader(user) and follow_up.leader_id == user.pk)
    target = selectors.target_for(user, follow_up)
    return {
        "follow_up": follow_up,
        "instruction": follow_up.instruction,
        "manager": manager,
        "asker": asker,
        "target": target,
        # A unit sees only its own thread; the office and the leader see every unit's.
        "targets": selectors.targets_of(follow_up)
        if (manager or asker)
        else selectors.targets_of(follow_up).filter(pk=target.pk if target else 0),
        "feedback_form": FeedbackForm(),
        "today": timezone.localdate(),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One instruction: the text, the units, their feedback rounds and the actions open to me."""
    return render(request, "instructions/detail.html", _detail_context(_user(request), pk))


@login_required
def feedback(request: HttpRequest, pk: int) -> HttpResponse:
    """A unit reports back (反馈) with a text and an optional attachment."""
    user = _user(request)
    follow_up = selectors.get_follow_up(user, pk)
    if selectors.target_for(user, follow_up) is None:
        raise Http404("批示未交办本单位。")
    form = FeedbackForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.do_submit_feedback(
                actor=user,
                follow_up=follow_up,
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment"),
            )
        except (ValidationError, PermissionDenied) as error:
            add_form_errors(request, form, error)
        else:
            messages.success(request, "反馈已报送。")
            return redirect("instructions:detail", pk=pk)
    context = _detail_context(user, pk) | {"feedback_form": form}
    status = 400 if form.errors else 200
    return render(request, "instructions/detail.html", context, status=status)


@login_required
@require_POST
def ask_more(request: HttpRequest, pk: int) -> HttpResponse:
    """The office or the leader asks a unit for more (追问)."""
    user = _user(request)
    follow_up = selectors.get_follow_up(user, pk)
    form = AskMoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请填写追问内容和补充反馈期限。")
        return redirect("instructions:detail", pk=pk)
    target = follow_up.targets.filter(pk=form.cleaned_data["target"]).first()
    if target is None:
        raise Http404("该单位不在承办单位中。")
    try:
        services.do_ask_more(
            actor=user,
            target=target,
            text=form.cleaned_data["text"],
            due_date=form.cleaned_data["due_date"],
        )
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已向{target.unit}追问。")
    return redirect("instructions:detail", pk=pk)


@login_required
@require_POST
def remind(request: HttpRequest, pk: int) -> HttpResponse:
    """Remind the units that have not reported back (催办)."""
    user = _user(request)
    follow_up = selectors.get_follow_up(user, pk)
    try:
        count = services.do_remind_follow_up(actor=user, follow_up=follow_up)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, f"已催办 {count} 个单位。")
    return redirect("instructions:detail", pk=pk)


@login_required
@require_POST
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close (办结) an instruction."""
    user = _user(request)
    follow_up = selectors.get_follow_up(user, pk)
    try:
        services.do_close_follow_up(actor=user, follow_up=follow_up)
    except (ValidationError, PermissionDenied) as error:
        flash_errors(request, error)
    else:
        messages.success(request, "批示已办结。")
    return redirect("instructions:detail", pk=pk)
