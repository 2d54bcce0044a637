"""What changed between two versions of a plan: section by section (a word-level diff) and
figure by figure. Works on the frozen content dicts (`serializers.plan_content`), so it is
pure and the same for two kept versions or a kept version and the current draft.

A diff is a list of `(op, text)` with op `equal`, `delete` or `insert`; the template renders
the text with autoescaping, so user text never becomes HTML."""
import difflib
import re
from dataclasses import dataclass, field

Diff = list[tuple[str, str]]

ACTIVITY_FIELDS = ("section", "name", "lead_body", "supporting_bodies", "months", "budget_vnd",
                   "funding_source")
TEXT_FIELDS = ("title", "introduction", "closing")


@dataclass
class SectionChange:
    key: str
    heading: str
    diff: Diff


@dataclass
class FigureChange:
    indicator: str
    sex: str | None
    before: object
    after: object


@dataclass
class ActivityChange:
    name: str
    fields: list[tuple[str, object, object]]  # (field, before, after)


@dataclass
class Comparison:
    texts: list[tuple[str, Diff]] = field(default_factory=list)  # title, introduction, closing
    legal_basis: Diff | None = None
    sections: list[SectionChange] = field(default_factory=list)
    figures: list[FigureChange] = field(default_factory=list)
    added_activities: list[dict] = field(default_factory=list)
    removed_activities: list[dict] = field(default_factory=list)
    changed_activities: list[ActivityChange] = field(default_factory=list)
    document: list[tuple[str, object, object]] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not (self.texts or self.legal_basis or self.sections or self.figures
                    or self.added_activities or self.removed_activities
                    or self.changed_activities or self.document)


def _words(text: str) -> list[str]:
    # Each word with the spaces after it, so the pieces join back into the text.
    return re.findall(r"\s+|\S+\s*", text or "")


def word_diff(before: str, after: str) -> Diff:
    """Deleted and inserted runs of words between two texts, with the unchanged runs. Words
    are compared without their spacing, so a rewrapped line is not a change."""
    old, new = _words(before), _words(after)
    diff: Diff = []

    def add(op: str, tokens: list[str]) -> None:
        if not tokens:
            return
        text = "".join(tokens)
        if diff and diff[-1][0] == op:
            diff[-1] = (op, diff[-1][1] + text)
        else:
            diff.append((op, text))

    matcher = difflib.SequenceMatcher(None, [word.strip() for word in old], [word.strip() for word in new],
                                      autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("equal", new[j1:j2])
        else:
            add("delete", old[i1:i2])
            add("insert", new[j1:j2])
    return diff


def _changed(diff: Diff) -> bool:
    return any(op != "equal" for op, _text in diff)


def _compare_sections(before: dict, after: dict) -> list[SectionChange]:
    old_sections = {section["key"]: section for section in before.get("sections", [])}
    changes = []
    for section in after.get("sections", []):
        old = old_sections.pop(section["key"], {"text": ""})
        diff = word_diff(old["text"], section["text"])
        if _changed(diff):
            changes.append(SectionChange(section["key"], section["heading"], diff))
    for key, section in old_sections.items():
        changes.append(SectionChange(key, section["heading"], word_diff(section["text"], "")))
    return changes


def _compare_figures(before: dict, after: dict) -> list[FigureChange]:
    def by_key(content):
        return {(target["indicator"], target["sex"]): target["value"] for target in content.get("targets", [])}

    old, new = by_key(before), by_key(after)
    keys = list(new) + [key for key in old if key not in new]
    return [FigureChange(code, sex, old.get((code, sex)), new.get((code, sex)))
            for code, sex in keys if old.get((code, sex)) != new.get((code, sex))]


def _compare_activities(before: dict, after: dict, comparison: Comparison) -> None:
    old = {activity["id"]: activity for activity in before.get("activities", [])}
    for activity in after.get("activities", []):
        previous = old.pop(activity["id"], None)
        if previous is None:
            comparison.added_activities.append(activity)
            continue
        fields = [(name, previous.get(name), activity.get(name)) for name in ACTIVITY_FIELDS
                  if previous.get(name) != activity.get(name)]
        if fields:
            comparison.changed_activities.append(ActivityChange(activity["name"], fields))
    comparison.removed_activities.extend(old.values())


def compare(before: dict, after: dict) -> Comparison:
    """What changed from the content `before` to the content `after`."""
    comparison = Comparison()
    for name in TEXT_FIELDS:
        diff = word_diff(before.get(name, ""), after.get(name, ""))
        if _changed(diff):
            comparison.texts.append((name, diff))
    legal_basis = word_diff("\n".join(before.get("legal_basis", [])), "\n".join(after.get("legal_basis", [])))
    comparison.legal_basis = legal_basis if _changed(legal_basis) else None
    comparison.sections = _compare_sections(before, after)
    comparison.figures = _compare_figures(before, after)
    _compare_activities(before, after, comparison)
    old_document, new_document = before.get("document", {}), after.get("document", {})
    comparison.document = [(name, old_document.get(name), value) for name, value in new_document.items()
                           if old_document.get(name) != value]
    return comparison
