"""The dispatch workbook's time and memory, on synthetic figures in memory (no database).

`python -m bench.dispatch_workbook` prints both for 549 communes (Thanh Hóa, roughly) and ten
times as many: in constant_memory mode the peak should stay nearly flat, growing only by the
compressed file itself (the returned bytes), which is reported beside it.
"""
import random
import time
import tracemalloc
from datetime import datetime
from decimal import Decimal

import xlsxwriter  # noqa: F401  imported here so that the first timing does not include it

from app.dispatches.figures import CommuneLine, Figures
from app.dispatches.workbook import workbook
from app.org_units.models import OrgUnit
from app.rollups.comparison import Cell, Column, Completeness, Row

COMMUNES_PER_DISTRICT = 21
SYLLABLES = ("Bình Lương Yên Cát Xuân Hòa Thanh Tân Phúc Quang Trung Hải Sơn Lâm "
             "Thượng Ninh Minh Đức Hưng Thịnh Phú").split()
MEASURES = ("buổi", "người", "lượt", "%", "hộ")


def synthetic_figures(communes: int, series: int = 40, seed: int = 1) -> Figures:
    """A province's figures: `communes` communes in districts of 21, `series` columns
    (indicators, every other one split into total, female and male), about 5 % of the cells
    empty and some values with decimals, as a real rollup has."""
    rng = random.Random(seed)
    columns, number = [], 0
    while len(columns) < series:
        number += 1
        sexes = ("total", "female", "male") if number % 2 else ("total",)
        columns += [Column(code=f"CT{number:02d}", sex=sex, name=f"Chỉ tiêu số {number} về bình đẳng giới",
                           measure_unit=MEASURES[number % len(MEASURES)], position=number) for sex in sexes]
    columns = columns[:series]

    def cells() -> dict[str, Cell]:
        found = {}
        for column in columns:
            if rng.random() < 0.05:
                continue  # not reported
            value = Decimal(rng.randint(0, 2000))
            if column.measure_unit == "%":
                value = Decimal(rng.randint(0, 1000)) / 10
            target = Decimal(rng.randint(1, 2500)) if rng.random() < 0.9 else None
            found[column.key] = Cell(value, target)
        return found

    lines, missing = [], []
    for index in range(communes):
        name = f"{SYLLABLES[index % len(SYLLABLES)]} {SYLLABLES[index // len(SYLLABLES) % len(SYLLABLES)]} {index}"
        received = int(rng.random() >= 0.05)
        if not received:
            missing.append(name)
        row = Row(code=f"{10000 + index}", name=name, cells=cells(),
                  completeness=Completeness(1, received, received and int(rng.random() < 0.8)))
        lines.append(CommuneLine(f"Huyện số {index // COMMUNES_PER_DISTRICT + 1}", row))
    expected = len(lines)
    received = sum(line.row.completeness.received for line in lines)
    on_time = sum(line.row.completeness.on_time for line in lines)
    total = Row(code="38", name="Tỉnh Thanh Hóa", cells=cells(),
                completeness=Completeness(expected, received, on_time))
    return Figures(unit=OrgUnit(name="Tỉnh Thanh Hóa", code="38"), period="2023Q3", columns=columns,
                   total=total, communes=lines, missing=missing,
                   computed_at=datetime(2023, 10, 3, 7, 5), stale=False)


def measure_workbook(figures: Figures) -> dict:
    """Seconds for `workbook(figures)` (untraced, as tracemalloc slows Python down several
    times) and the peak of memory allocated during a second, traced run, in MB."""
    start = time.perf_counter()
    data = workbook(figures)
    seconds = time.perf_counter() - start
    del data
    tracemalloc.start()
    try:
        data = workbook(figures)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return {"seconds": round(seconds, 3), "peak_mb": round(peak / 2**20, 2),
            "output_mb": round(len(data) / 2**20, 2)}


if __name__ == "__main__":
    for size in (549, 5490):
        figures = synthetic_figures(size)
        found = measure_workbook(figures)
        print(f"{size:>5} communes × {len(figures.columns)} columns: {found['seconds']:.2f} s, "
              f"peak {found['peak_mb']:.1f} MB (of which the file itself {found['output_mb']:.1f} MB)")
