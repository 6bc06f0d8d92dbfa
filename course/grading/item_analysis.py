"""Item analysis: how hard each graded item was (and each of its variants and matrix rows),
whether it told the students who did well on the rest of the assignment from those who did
not, which options drew anyone, and what an instructor should look at.

:meth:`ItemAnalysis.analyse` is a pure function of a table of scored answers (one
:class:`Response` per student and item), so it is tested on a synthetic class without
grading anything; ``stats.py`` reads the table from the autograded notebooks. The statistics
and the thresholds are explained in docs/grading.md ("Item analysis")."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from statistics import fmean, pvariance
from typing import Any

from traitlets import Bool, Float, Integer
from traitlets.config import LoggingConfigurable

from ..kinds import Kind
from ..kinds.matrix import owners
from ..kinds.single import Single

NO_ANSWER = "no answer"
"""How ``Kind.statistics`` counts a student who gave no usable answer (to an item or a row)."""


@dataclass(frozen=True)
class Response:
    """One student's answer to one item as the scorer saw it (``None``: no usable answer),
    the variant it was scored as, and the points it earned of ``points``."""

    student: str
    item: str
    variant: str
    answer: Any
    score: float
    points: float

    @property
    def share(self) -> float:
        return self.score / self.points if self.points else 0.0


@dataclass(frozen=True)
class Version:
    """One variant of an item as the grader keys it: its kind (options, rows), key and why."""

    kind: Kind
    key: Any
    why: Any = ""
    notebook: str = ""
    assignment: str = ""


@dataclass(frozen=True)
class Flag:
    """Something an instructor should look at: a short code and a sentence."""

    code: str
    text: str


@dataclass
class ItemResult:
    """How the class did on an item (``variant`` and ``row`` empty), on one variant of it
    (only when students had several), or on one row of a matrix."""

    assignment: str
    notebook: str
    item: str
    variant: str
    row: str
    students: int
    right: int
    difficulty: float
    """The mean share of the points earned (for a right/wrong entry: the share right)."""
    discrimination: float | None
    """Item-rest correlation; ``None`` when it is undefined (everyone scored the same)."""
    right_answer: str
    most_common_wrong: str
    wrong_count: int
    unanswered: int
    choices: dict[str, float] = field(default_factory=dict)
    """Option (or owner, for a matrix row) -> the share of the students who chose it."""
    flags: list[Flag] = field(default_factory=list)
    why: str = ""

    @property
    def share_right(self) -> float:
        return self.right / self.students if self.students else 0.0

    @property
    def label(self) -> str:
        return " / ".join(filter(None, [self.item, self.variant and f"variant {self.variant}",
                                        self.row]))

    @property
    def depth(self) -> int:
        """0 for an item, 1 for a variant or row of it, 2 for a row of a variant."""
        return bool(self.variant) + bool(self.row)


class ItemAnalysis(LoggingConfigurable):
    """Difficulty, discrimination, the share choosing each option, and flags, per item, per
    variant and per matrix row. The thresholds below decide the flags."""

    skip_blank = Bool(
        True, help="Leave out students who answered no item of the assignment (a blank or "
        "unopened notebook): they are not attempts, and would make every item look more "
        "discriminating than it is.").tag(config=True)
    min_students = Integer(
        10, help="No flag on an item, variant or row answered by fewer students than this: "
        "with fewer, a correlation or a share is mostly chance. Its figures are still "
        "shown.").tag(config=True)
    weak_discrimination = Float(
        0.15, help="Flag an item, variant or row whose item-rest correlation is below this "
        "('near-zero discrimination'; below minus this: 'negative discrimination'): the "
        "students who did well on the rest of the assignment did no better on it (or worse). "
        "Often a wrong or ambiguous key, or an item that tests something else.").tag(
        config=True)
    rare_distractor = Float(
        0.05, help="Flag a wrong option chosen by fewer than this share of the students who "
        "answered its item (or variant) ('distractor nobody picks'): it does no work, so the "
        "item is easier to guess than it looks. 0.05 is the usual line for a functional "
        "distractor.").tag(config=True)
    variant_gap = Float(
        0.15, help="Flag a variant whose mean share of points is at least this much below "
        "(or above) that of each other variant of its item ('variant much harder', or 'much "
        "easier', than its siblings): its students are not graded alike.").tag(config=True)
    variant_z = Float(
        2.0, help="Flag such a variant only when each of those gaps is also at least this "
        "many standard errors, so that a gap that chance explains in a small class is not "
        "flagged.").tag(config=True)

    def analyse(self, responses: list[Response], versions: dict[tuple[str, str], Version]
                ) -> list[ItemResult]:
        """Every item of ``versions`` (in their order) that has responses: the item, then
        each variant when students had several, and the rows of each matrix. The rest score
        spans every item of ``versions``, so items analysed together (several assignments)
        are judged against more than their own assignment."""
        first: dict[str, Version] = {}
        for (item, _variant), version in versions.items():
            first.setdefault(item, version)
        taken: dict[tuple[str, str], list[Response]] = defaultdict(list)
        for response in responses:
            where = first.get(response.item)
            taken[response.student, where.assignment if where else ""].append(response)
        if self.skip_blank:  # per assignment: a blank 02 is no attempt, whatever 01 was
            taken = {key: given for key, given in taken.items()
                     if any(r.answer is not None for r in given)}
        totals: dict[str, Totals] = defaultdict(Totals)
        by_item: dict[str, list[Response]] = defaultdict(list)
        for given in taken.values():
            for response in given:
                totals[response.student].add(response)
                by_item[response.item].append(response)
        results = []
        for item in first:
            given = by_item.get(item, [])
            variants = sorted({r.variant for r in given})
            if len(variants) > 1:
                results.append(self.whole(first[item], item, given, totals))
            for variant in variants:
                results += self.version(versions, first[item], item, variant, given, totals,
                                        several=len(variants) > 1)
        return results

    def whole(self, first: Version, item: str, given: list[Response],
              totals: dict[str, Totals]) -> ItemResult:
        """Every variant of an item together: difficulty and discrimination only (the
        variants' options differ)."""
        result = summary(first, item, "", given, totals)
        result.flags = self.discrimination_flags(result)
        return result

    def version(self, versions: dict[tuple[str, str], Version], first: Version, item: str,
                variant: str, given: list[Response], totals: dict[str, Totals],
                several: bool) -> list[ItemResult]:
        """One variant of an item (the item itself when it is the only one), and its rows."""
        mine = [r for r in given if r.variant == variant]
        known = versions.get((item, variant))  # None: a variant the gradebook has no key for
        version = known or first
        result = summary(version, item, variant if several else "", mine, totals)
        answers = [r.answer for r in mine]
        rows = version.kind.statistics(version.key, answers, version.why) if known else []
        if rows:
            result.right_answer, result.why = rows[0].right_answer, rows[0].why
            result.most_common_wrong, result.wrong_count = most_common(rows[0])
        result.choices = choices(version.kind, answers)
        result.flags = self.discrimination_flags(result) + self.distractor_flags(
            result, version) + (self.variant_flags(result, given) if several else [])
        results = [result]
        rest = [totals[r.student].rest(r) for r in mine]
        for row in rows[1:]:
            placed = [a.get(row.row) if isinstance(a, dict) else None for a in answers]
            right = [float(owner == row.right_answer) for owner in placed]
            entry = ItemResult(
                version.assignment, version.notebook, item, result.variant, row.row,
                len(mine), int(sum(right)), fmean(right), correlation(right, rest),
                row.right_answer, *most_common(row), row.wrong.get(NO_ANSWER, 0),
                owner_shares(placed), why=row.why)
            entry.flags = self.discrimination_flags(entry)
            results.append(entry)
        return results

    def discrimination_flags(self, result: ItemResult) -> list[Flag]:
        """Negative when r is below minus the threshold, near zero within it either side
        (a correlation of -0.05 says no more than one of 0.05)."""
        r, line = result.discrimination, self.weak_discrimination
        if result.students < self.min_students or r is None or r >= line:
            return []
        if r < -line:
            return [Flag("negative-discrimination", f"negative discrimination (r = {r:.2f}): "
                         "doing well on the rest went with getting this wrong; check the "
                         "key and the wording")]
        return [Flag("weak-discrimination", f"near-zero discrimination (r = {r:.2f}, "
                     f"under {line:g} either side of 0): doing well on the rest did not go "
                     "with getting this right")]

    def distractor_flags(self, result: ItemResult, version: Version) -> list[Flag]:
        """Wrong options that (almost) none of the students who answered chose (an item
        that too few answered says nothing about its options)."""
        kind = version.kind
        answered = result.students - result.unanswered
        if answered < self.min_students or not isinstance(kind, Single):
            return []
        keyed = set(version.key) if kind.multiple else {version.key}
        return [Flag("unused-distractor", f"distractor {option!r} chosen by "
                     f"{result.choices.get(option, 0.0):.0%} of those who answered")
                for option in kind.options
                if option not in keyed
                and result.choices.get(option, 0.0) < self.rare_distractor]

    def variant_flags(self, result: ItemResult, given: list[Response]) -> list[Flag]:
        """A variant much harder, or much easier, than each of its siblings (so one odd
        variant out of three does not make the other two look odd too; of two variants,
        both are flagged: the figures cannot say which one is off)."""
        shares = defaultdict(list)
        for response in given:
            shares[response.variant].append(response.share)
        mine = shares.pop(result.variant)
        if len(mine) < self.min_students or any(len(s) < self.min_students
                                                for s in shares.values()):
            return []
        gaps = {variant: fmean(mine) - fmean(theirs) for variant, theirs in shares.items()}
        errors = {variant: math.sqrt(pvariance(mine) / len(mine) + pvariance(theirs)
                                     / len(theirs)) for variant, theirs in shares.items()}
        if not (all(gap >= self.variant_gap for gap in gaps.values())
                or all(gap <= -self.variant_gap for gap in gaps.values())):
            return []
        if any(errors[v] and abs(gaps[v]) / errors[v] < self.variant_z for v in gaps):
            return []
        harder = "harder" if next(iter(gaps.values())) < 0 else "easier"
        siblings = ", ".join(f"{fmean(theirs):.0%} ({variant})"
                             for variant, theirs in sorted(shares.items()))
        return [Flag(f"variant-{harder}", f"variant much {harder} than its siblings: "
                     f"{fmean(mine):.0%} of points against {siblings}")]


@dataclass
class Totals:
    """A student's points, and the points of the items they were given, over everything
    analysed together."""

    score: float = 0.0
    points: float = 0.0

    def add(self, response: Response) -> None:
        self.score += response.score
        self.points += response.points

    def rest(self, response: Response) -> float:
        """The rest score for ``response``: the share of the points on every other item."""
        points = self.points - response.points
        return (self.score - response.score) / points if points else 0.0


def summary(version: Version, item: str, variant: str, given: list[Response],
            totals: dict[str, Totals]) -> ItemResult:
    """Difficulty and discrimination of ``given`` (an item's or a variant's responses)."""
    shares = [r.share for r in given]
    return ItemResult(version.assignment, version.notebook, item, variant, "", len(given),
                      sum(r.score >= r.points for r in given), fmean(shares),
                      correlation(shares, [totals[r.student].rest(r) for r in given]),
                      "", "", 0, sum(r.answer is None for r in given))


def correlation(xs: list[float], ys: list[float]) -> float | None:
    """Pearson's r of two equally long lists; ``None`` when either does not vary. With a
    right/wrong ``xs`` it is the point-biserial correlation."""
    if len(xs) < 2:
        return None
    mx, my = fmean(xs), fmean(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx < 1e-12 or syy < 1e-12:
        return None
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / math.sqrt(sxx * syy)


def most_common(row: Any) -> tuple[str, int]:
    """The commonest wrong answer given (no answer is counted apart) and how many gave it."""
    wrong = Counter({answer: n for answer, n in (row.wrong if row else {}).items()
                     if answer != NO_ANSWER})
    return wrong.most_common(1)[0] if wrong else ("", 0)


def choices(kind: Kind, answers: list[Any]) -> dict[str, float]:
    """For a single or multiple choice item: each option -> the share of the students who
    answered that chose it (every option, chosen or not, in the item's order)."""
    given = [answer for answer in answers if answer is not None]
    if not isinstance(kind, Single) or not given:
        return {}
    chosen = Counter(option for answer in given
                     for option in (answer if kind.multiple else [answer]))
    return {option: chosen[option] / len(given) for option in kind.options}


def owner_shares(placed: list[Any]) -> dict[str, float]:
    """For a matrix row: each owner (every one of the course, in its order) -> the share of
    the students who placed the row that placed it with them."""
    given = Counter(owner for owner in placed if owner is not None)
    total = sum(given.values())
    return {owner: given[owner] / total for owner in owners()} if total else {}
