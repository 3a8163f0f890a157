"""Series (刊物), issues (期), their printed entries, rendered files, voided numbers, adoptions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from jianbao.accounts.models import Unit
from jianbao.bulletins.workflow import IssueState
from jianbao.submissions.models import Submission


class Series(models.Model):
    """A bulletin title with its masthead, numbering and default 报尾."""

    title = models.CharField("刊名", max_length=50, unique=True, help_text="如「上街信息」")
    organ = models.CharField("编发机关", max_length=100, help_text="如「中共上街区委办公室」")
    yearly_numbering = models.BooleanField("按年编号", default=True, help_text="每年从第1期开始")
    cumulative_numbering = models.BooleanField("总期号", default=False, help_text="印「总第N期」")
    report_to = models.CharField("报", max_length=300, blank=True)
    send_to = models.CharField("本期送", max_length=300, blank=True)
    distribute_to = models.CharField("发", max_length=300, blank=True)
    extra_to = models.CharField("本期增发", max_length=300, blank=True)
    editors = models.JSONField("责任编辑", default=list, blank=True)
    marks = models.JSONField("版头标注", default=list, blank=True)
    copies = models.PositiveIntegerField("印数", null=True, blank=True)
    active = models.BooleanField("启用", default=True)
    four_eyes = models.BooleanField(
        "签发人不得为最后编辑人",
        default=True,
        help_text="开启后，最后修改本期内容的人不能签发本期（双人复核）。",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["title"]
        verbose_name = "刊物"
        verbose_name_plural = "刊物"

    def __str__(self) -> str:
        return f"《{self.title}》"


class Issue(models.Model):
    """One numbered issue (期) of a series; a correction is a later edition of the same number."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="issues")
    year = models.PositiveSmallIntegerField("年度")
    number = models.PositiveIntegerField("期号")
    total_number = models.PositiveIntegerField("总期号", null=True, blank=True)
    edition = models.PositiveSmallIntegerField("版次", default=1)
    issue_date = models.DateField("日期")
    # As printed on this issue: an organ renamed later must not change old (or archived) issues.
    organ = models.CharField("编发机关", max_length=100, blank=True)
    state = models.CharField(
        "状态", max_length=20, choices=IssueState.choices, default=IssueState.DRAFT
    )
    version = models.PositiveIntegerField(default=1)
    marks = models.JSONField("版头标注", default=list, blank=True)
    editor_note = models.TextField("编者按", blank=True)
    report_to = models.CharField("报", max_length=300, blank=True)
    send_to = models.CharField("本期送", max_length=300, blank=True)
    distribute_to = models.CharField("发", max_length=300, blank=True)
    extra_to = models.CharField("本期增发", max_length=300, blank=True)
    editors = models.JSONField("责任编辑", default=list, blank=True)
    copies = models.PositiveIntegerField("印数", null=True, blank=True)
    corrects = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    correction_notice = models.TextField("更正说明", blank=True)
    is_archive = models.BooleanField("历史档案", default=False)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField("签发时间", null=True, blank=True)
    # 签发意见: kept and shown in the history and audit trail, printed nowhere.
    sign_comment = models.TextField("签发意见", blank=True)
    # SHA-256 of the proof PDF the signer signed (rendered for the version on the sign page).
    signed_proof_sha256 = models.CharField("签发校样 SHA-256", max_length=64, blank=True)
    published_at = models.DateTimeField("印发时间", null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-year", "-number", "-edition"]
        verbose_name = "期"
        verbose_name_plural = "期"
        constraints = [
            # A voided issue leaves its row (and its VoidedNumber) behind; only live ones clash.
            models.UniqueConstraint(
                fields=["series", "year", "number", "edition"],
                condition=~Q(state=IssueState.VOIDED),
                name="issue_number_unique_when_live",
            )
        ]
        indexes = [models.Index(fields=["series", "year", "state"], name="issue_series_year_idx")]

    def __str__(self) -> str:
        label = f"{self.series.title} {self.year}年第{self.number}期"
        return label if self.edition == 1 else f"{label}（更正版{self.edition - 1}）"


class EntryKind(models.TextChoices):
    ITEM = "item", "信息"
    BRIEF = "brief", "简讯"
    NOTE = "note", "按语/无标题"


class Entry(models.Model):
    """The text as printed; never shares storage with the submissions it came from."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    order = models.PositiveIntegerField("次序")
    kind = models.CharField(
        "类型", max_length=10, choices=EntryKind.choices, default=EntryKind.ITEM
    )
    section = models.CharField("栏目", max_length=50, blank=True)
    title = models.CharField("标题", max_length=200, blank=True)
    body = models.TextField("正文")
    # None: print the credited units; "": print no source; anything else is printed verbatim.
    source_line = models.CharField(  # noqa: DJ001  (None and "" mean different things)
        "来源署名", max_length=200, null=True, blank=True
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "条目"
        verbose_name_plural = "条目"

    def __str__(self) -> str:
        return self.title or self.body[:30]


class EntrySource(models.Model):
    """A credited unit of an entry, with the submission it reported (none for office writing)."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="sources")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="entry_sources"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "submission", "unit"], name="entry_source_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.unit)


class FileFormat(models.TextChoices):
    DOCX = "docx", "Word"
    PDF = "pdf", "PDF"
    HTML = "html", "网页"
    OFD = "ofd", "OFD 版式文件"


class IssueFile(models.Model):
    """A rendered file of a published issue, frozen with its SHA-256."""

    issue = models.ForeignKey(Issue, on_delete=models.PROTECT, related_name="files")
    format = models.CharField(max_length=10, choices=FileFormat.choices)
    file = models.FileField(upload_to="issues/%Y/")
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issue", "format"], name="issue_file_format_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issue} {self.format}"


class VoidedNumber(models.Model):
    """A number that was given up; allocation skips it forever."""

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="voided_numbers")
    year = models.PositiveSmallIntegerField()
    number = models.PositiveIntegerField()
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField()
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    voided_at = models.DateTimeField()

    class Meta:
        verbose_name = "作废期号"
        verbose_name_plural = "作废期号"
        constraints = [
            models.UniqueConstraint(
                fields=["series", "year", "number"], name="voided_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.series.title} {self.year}年第{self.number}期（作废）"


class AdoptionLevel(models.TextChoices):
    DISTRICT = "district", "区级"
    CITY = "city", "市级"
    PROVINCE = "province", "省级"
    CENTRAL = "central", "中央"


class AdoptionForm(models.TextChoices):
    SINGLE = "single", "单条"
    MERGED = "merged", "综合"
    BRIEF = "brief", "简讯"
    ARTICLE = "article", "单篇"
    SPECIAL = "special", "专报"
    RESEARCH = "research", "调研"


class Adoption(models.Model):
    """An item used by an outlet at a level, credited to one unit (the scoring source)."""

    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    entry = models.ForeignKey(
        Entry, null=True, blank=True, on_delete=models.SET_NULL, related_name="adoptions"
    )
    issue = models.ForeignKey(
        Issue, null=True, blank=True, on_delete=models.PROTECT, related_name="adoptions"
    )
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="adoptions")
    outlet = models.CharField("采用载体", max_length=100)
    level = models.CharField("级别", max_length=20, choices=AdoptionLevel.choices)
    form = models.CharField("形式", max_length=20, choices=AdoptionForm.choices)
    date = models.DateField("采用日期")
    # Outside adoptions (recorded by editors, jianbao.assessment): 转报 by the office or
    # reported directly, which issue of the outlet carried it, and a scan of the page.
    forwarded = models.BooleanField("经本机关转报", default=False)
    outlet_issue = models.CharField(
        "采用期次", max_length=50, blank=True, help_text="如「2024年第12期」"
    )
    evidence = models.FileField("佐证材料", upload_to="adoptions/%Y/", blank=True)
    note = models.CharField("备注", max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-date", "pk"]
        indexes = [models.Index(fields=["date"], name="adoption_date_idx")]
        verbose_name = "采用"
        verbose_name_plural = "采用"

    def __str__(self) -> str:
        return f"{self.outlet} {self.get_level_display()} {self.get_form_display()}"
