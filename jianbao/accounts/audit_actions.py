"""Chinese names of audit event actions, their category and default outcome (pure data).

Every action any code records must have a row here (a test scans the sources for action names).
Add a row when you add an action: `"app.verb": ("中文名", CATEGORY)`; the outcome defaults to
success unless the action is listed in FAILURE_ACTIONS or DENIED_ACTIONS.
"""

from __future__ import annotations

# Categories, as the auditor's page groups them.
AUTH = "身份鉴别"
ACCESS = "访问控制"
ACCOUNT = "用户与权限"
WORKFLOW = "业务流转"
DOWNLOAD = "下载与导出"
SETTINGS = "设置变更"
SYSTEM = "系统运维"

ACTIONS: dict[str, tuple[str, str]] = {
    # Identity (helper identity adds login hardening, 2FA and token actions here).
    "auth.login": ("登录成功", AUTH),
    "auth.login_failed": ("登录失败", AUTH),
    "auth.logout": ("退出登录", AUTH),
    "auth.lockout": ("账号锁定", AUTH),
    "auth.password_change": ("修改密码", AUTH),
    "token.issue": ("创建 API 令牌", AUTH),
    "token.revoke": ("吊销 API 令牌", AUTH),
    # Identity hardening (helper identity: passwords.py, lockout.py, sessions.py, two_factor.py).
    "auth.unlock": ("解除登录锁定", AUTH),
    "auth.password_reset": ("管理员重设密码", AUTH),
    "auth.session_expired": ("登录超时", AUTH),
    "auth.sessions_ended": ("结束其他登录会话", AUTH),
    "auth.otp_enrolled": ("绑定双因素认证", AUTH),
    "auth.otp_verified": ("动态验证码验证通过", AUTH),
    "auth.otp_failed": ("动态验证码错误", AUTH),
    "auth.otp_disabled": ("停用双因素认证", AUTH),
    "auth.recovery_code_used": ("使用恢复码登录", AUTH),
    "auth.recovery_codes_renewed": ("重新生成恢复码", AUTH),
    "token.use": ("使用 API 令牌", AUTH),
    "access.denied": ("拒绝访问", ACCESS),
    # Users, units and roles.
    "user.create": ("创建用户", ACCOUNT),
    "user.change": ("修改用户", ACCOUNT),
    "user.roles": ("变更角色", ACCOUNT),
    "user.unit": ("变更所属单位", ACCOUNT),
    "user.superuser": ("授予/撤销管理员权限", ACCOUNT),
    "user.active": ("启用/停用账号", ACCOUNT),
    "unit.create": ("创建单位", ACCOUNT),
    "unit.change": ("修改单位", ACCOUNT),
    # Audit trail itself.
    "audit.export": ("导出审计日志", DOWNLOAD),
    "audit.verify": ("校验审计链", SYSTEM),
    # Downloads and exports.
    "download.issue_file": ("下载期刊文件", DOWNLOAD),
    "download.attachment": ("下载附件", DOWNLOAD),
    "download.archive_file": ("下载档案原件", DOWNLOAD),
    "download.export": ("导出数据", DOWNLOAD),
    # Submissions (the workflow table's actions).
    "submission.create": ("新建稿件", WORKFLOW),
    "submission.edit": ("修改稿件", WORKFLOW),
    "submission.submit": ("报送", WORKFLOW),
    "submission.approve": ("单位审核同意", WORKFLOW),
    "submission.send_back": ("单位审核退回", WORKFLOW),
    "submission.withdraw": ("撤回", WORKFLOW),
    "submission.claim": ("认领", WORKFLOW),
    "submission.release": ("放弃认领", WORKFLOW),
    "submission.return": ("退回修改", WORKFLOW),
    "submission.archive": ("存档（未采用）", WORKFLOW),
    "submission.reopen": ("重新审核", WORKFLOW),
    "submission.adopt": ("采用", WORKFLOW),
    "submission.publish": ("刊发", WORKFLOW),
    # Series and issues.
    "series.create": ("新建刊物", SETTINGS),
    "series.edit": ("修改刊物设置", SETTINGS),
    "issue.create": ("新建一期", WORKFLOW),
    "issue.edit": ("修改期刊信息", WORKFLOW),
    "issue.footer": ("修改报尾", WORKFLOW),
    "issue.add_submissions": ("编入稿件", WORKFLOW),
    "issue.merge": ("综合采用", WORKFLOW),
    "issue.create_entry": ("撰写条目", WORKFLOW),
    "issue.edit_entry": ("修改条目", WORKFLOW),
    "issue.reorder": ("调整条目顺序", WORKFLOW),
    "issue.remove_entry": ("移除条目", WORKFLOW),
    "issue.proof": ("出校样", WORKFLOW),
    "issue.back_to_draft": ("退回编辑", WORKFLOW),
    "issue.sign": ("签发", WORKFLOW),
    "issue.unsign": ("撤销签发", WORKFLOW),
    "issue.publish": ("印发", WORKFLOW),
    "issue.void": ("作废", WORKFLOW),
    "issue.correction": ("发起更正", WORKFLOW),
    # Proofreading settings.
    "proofread.ignore": ("校对忽略词", SETTINGS),
    "proofread.rule": ("校对规则开关", SETTINGS),
    # Archive import.
    "archive.upload": ("上传档案", WORKFLOW),
    "archive.edit": ("修改档案识别结果", WORKFLOW),
    "archive.confirm": ("确认入库", WORKFLOW),
    "archive.confirm_batch": ("整批确认入库", WORKFLOW),
    "archive.skip": ("跳过档案", WORKFLOW),
    "archive.map_unit": ("对应单位名称", WORKFLOW),
    "archive.create_unit": ("由档案新建单位", WORKFLOW),
    "archive.create_series": ("由档案新建刊物", WORKFLOW),
    "archive.unattributed": ("档案来源不明", WORKFLOW),
    "archive.resume_batch": ("继续导入批次", SYSTEM),
    "archive.cancel_batch": ("取消导入批次", SYSTEM),
    "archive.interrupt_batch": ("导入批次中断", SYSTEM),
    # Commissions (约稿).
    "commission.create": ("发布约稿", WORKFLOW),
    "commission.answer": ("报送约稿", WORKFLOW),
    "commission.decline": ("答复约稿无此情况", WORKFLOW),
    "commission.close": ("结束约稿", WORKFLOW),
    "commission.cancel": ("撤销约稿", WORKFLOW),
    "commission.remind": ("约稿催报", WORKFLOW),
    "commission.sweep": ("约稿到期提醒与逾期标记", SYSTEM),
    # Notifications (消息) and comments.
    "submission.comment": ("稿件留言", WORKFLOW),
    # The editor's day (issue 18): bulk inbox actions, uploads kept across a form error.
    "submission.bulk": ("批量处理稿件", WORKFLOW),
    "submission.pending_upload": ("暂存待保存的附件", WORKFLOW),
    "submission.pending_upload_remove": ("移除暂存的附件", WORKFLOW),
    "notification.create": ("发送消息", WORKFLOW),
    "notification.read": ("阅读消息", WORKFLOW),
    "notification.read_all": ("全部标为已读", WORKFLOW),
    "notification.preferences": ("修改消息设置", SETTINGS),
    "notification.webhook_save": ("保存单位 Webhook", SETTINGS),
    "notification.webhook_delete": ("删除单位 Webhook", SETTINGS),
    "notification.delivery_failed": ("消息投递失败", SYSTEM),
    "notification.retry": ("重新投递消息", SYSTEM),
    # Distribution (分发签收, jianbao/distribution).
    "distribution.group_save": ("保存分发分组", SETTINGS),
    "distribution.group_delete": ("删除分发分组", SETTINGS),
    "distribution.recipient_add": ("添加分发对象", SETTINGS),
    "distribution.recipient_remove": ("移除分发对象", SETTINGS),
    "distribution.start": ("开始分发", WORKFLOW),
    "distribution.deliver": ("分发送达", WORKFLOW),
    "distribution.read": ("首次阅读简报", WORKFLOW),
    "distribution.acknowledge": ("签收简报", WORKFLOW),
    "distribution.remind": ("催阅", WORKFLOW),
    # Scoring (考核).
    "scores.adoption_recorded": ("登记采用", WORKFLOW),
    "scores.instruction_recorded": ("登记领导批示", WORKFLOW),
    "scores.objection_submitted": ("提出异议", WORKFLOW),
    "scores.objection_accepted": ("异议成立", WORKFLOW),
    "scores.objection_rejected": ("异议驳回", WORKFLOW),
    "scores.period_frozen": ("冻结考核期", WORKFLOW),
    "scores.recompute_preview": ("预览重算积分", SYSTEM),
    "scores.recompute_confirm": ("确认重算积分", SYSTEM),
    "scores.rules_saved": ("保存考核办法", SETTINGS),
    "scores.class_created": ("新增考核分类", SETTINGS),
    "scores.class_assigned": ("调整单位考核分类", SETTINGS),
    # Emergency reports (紧急信息), leaders' instructions (批示) and forwarding (转报).
    "emergency.start": ("初报紧急信息", WORKFLOW),
    "emergency.report": ("续报/终报紧急信息", WORKFLOW),
    "emergency.forward": ("转报紧急信息", WORKFLOW),
    "instruction.follow_up_create": ("批示交办", WORKFLOW),
    "instruction.feedback": ("批示反馈", WORKFLOW),
    "instruction.ask_more": ("批示要求补充", WORKFLOW),
    "instruction.remind": ("批示催办", WORKFLOW),
    "instruction.close": ("批示办结", WORKFLOW),
    "forwarding.create": ("转报上级", WORKFLOW),
    "download.file": ("下载文件", DOWNLOAD),
    # Operations.
    "search.reindex": ("重建检索索引", SYSTEM),
    "operations.backup": ("备份", SYSTEM),
    "operations.restore": ("恢复", SYSTEM),
    "operations.recover_stale_task": ("回收中断任务", SYSTEM),
    "operations.doctor.missing": ("巡检：文件缺失", SYSTEM),
    "operations.doctor.mismatch": ("巡检：文件不符", SYSTEM),
    "operations.doctor.temp": ("巡检：临时文件", SYSTEM),
    "operations.doctor.orphan": ("巡检：孤立文件", SYSTEM),
    "operations.doctor.stale_task": ("巡检：中断任务", SYSTEM),
}

FAILURE_ACTIONS = {"auth.login_failed", "auth.lockout", "auth.otp_failed"}
DENIED_ACTIONS = {"access.denied"}

# Readable names of detail keys (anything else shows its key as is).
DETAIL_LABELS: dict[str, str] = {
    "path": "地址",
    "reason": "原因",
    "username": "用户名",
    "submissions": "稿件",
    "entry": "条目",
    "order": "顺序",
    "term": "词语",
    "rule": "规则",
    "enabled": "启用",
    "roles": "角色",
    "before": "原值",
    "after": "新值",
    "changes": "变更",
    "file": "文件",
    "format": "格式",
    "rows": "行数",
    "filters": "筛选条件",
    "version": "版本",
    "skipped": "跳过",
    "pending": "待处理",
    "phase": "阶段",
    "queued": "已排队",
    "number": "期号",
    "year": "年份",
    "to": "目标",
    "unit": "单位",
    "name": "名称",
    "from": "原状态",
    "title": "标题",
    "organ": "编发机关",
    "four_eyes": "签发人不得为最后编辑人",
    "active": "启用",
    "superuser": "管理员权限",
    "staff": "可登录后台",
    "requires_approval": "报送前需单位审核",
    "short_name": "简称",
    "kind": "类别",
    # identity
    "ip": "地址",
    "count": "数量",
    "left": "剩余",
    "days": "有效天数",
    "read_only": "只读",
    "owner": "所有者",
    "records": "记录数",
    "via": "途径",
    "step": "环节",
}


def action_label(action: str) -> str:
    """The Chinese name of `action` (the action itself when it has no row)."""
    row = ACTIONS.get(action)
    return row[0] if row else action


def action_category(action: str) -> str:
    """The category of `action`."""
    row = ACTIONS.get(action)
    return row[1] if row else SYSTEM


def default_outcome(action: str) -> str:
    """success, failure or denied: what `action` means when the caller does not say."""
    if action in DENIED_ACTIONS:
        return "denied"
    if action in FAILURE_ACTIONS:
        return "failure"
    return "success"


def readable_detail(detail: object) -> list[tuple[str, str]]:
    """`detail` as (Chinese key, text value) pairs, never a raw dict."""
    if not isinstance(detail, dict):
        return [("详情", _text(detail))] if detail not in (None, "", [], {}) else []
    return [(DETAIL_LABELS.get(str(key), str(key)), _text(value)) for key, value in detail.items()]


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, list | tuple):
        return "、".join(_text(item) for item in value)
    if isinstance(value, dict):
        return "；".join(f"{DETAIL_LABELS.get(str(k), k)}：{_text(v)}" for k, v in value.items())
    if value is None:
        return "（空）"
    return str(value)
