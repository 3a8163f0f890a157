"""The proofreader (校对): finds likely errors in official Chinese text; pure Python, no Django.

from jianbao.text.proofread import proofread, RULES
for finding in proofread(text, disabled_rules={"numbers"}):
    print(finding.start, finding.text, "→", finding.suggestion, finding.explanation)
"""

from jianbao.text.proofread.engine import proofread
from jianbao.text.proofread.findings import RULES, Finding, RuleInfo
from jianbao.text.proofread.rules.source_line import check_source_line

__all__ = ["RULES", "Finding", "RuleInfo", "check_source_line", "proofread"]
