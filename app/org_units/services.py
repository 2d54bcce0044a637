"""Writes to the org-unit tree. Services flush; the caller commits."""
from dataclasses import dataclass

from app.extensions import db
from app.org_units.gso import DistrictWithCommunes, Division, GsoSelection
from app.org_units.models import OrgUnit


@dataclass
class ImportCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, other: "ImportCounts") -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged


def _existing_by_code(codes: list[str]) -> dict[str, OrgUnit]:
    rows = db.session.execute(db.select(OrgUnit).where(OrgUnit.code.in_(codes))).scalars()
    return {unit.code: unit for unit in rows}


def _upsert(division: Division, parent: OrgUnit | None, existing: dict, counts: ImportCounts):
    path = f"{parent.path if parent else '/'}{division.code}/"
    unit = existing.get(division.code)
    if unit is None:
        unit = OrgUnit(
            code=division.code,
            name=division.name,
            division_type=division.division_type,
            level=division.level,
            parent=parent,
            path=path,
        )
        db.session.add(unit)
        counts.created += 1
        return unit
    wanted = {
        "name": division.name,
        "division_type": division.division_type,
        "level": division.level,
        "parent_id": parent.id if parent else None,
        "path": path,
    }
    changes = {key: value for key, value in wanted.items() if getattr(unit, key) != value}
    for key, value in changes.items():
        setattr(unit, key, value)
    if changes:
        counts.updated += 1
    else:
        counts.unchanged += 1
    return unit


def upsert_province(province: Division) -> tuple[OrgUnit, ImportCounts]:
    counts = ImportCounts()
    unit = _upsert(province, None, _existing_by_code([province.code]), counts)
    db.session.flush()
    return unit, counts


def upsert_district(province_unit: OrgUnit, entry: DistrictWithCommunes) -> ImportCounts:
    """Create or update one district and its communes; running it twice changes nothing."""
    counts = ImportCounts()
    codes = [entry.district.code, *(commune.code for commune in entry.communes)]
    existing = _existing_by_code(codes)
    district = _upsert(entry.district, province_unit, existing, counts)
    db.session.flush()
    for commune in entry.communes:
        _upsert(commune, district, existing, counts)
    db.session.flush()
    return counts


def import_selection(selection: GsoSelection, after_district=None) -> ImportCounts:
    """Upsert a province and the selected districts; `after_district(done, entry)` is called
    after each district (the import task records progress and commits there)."""
    province, counts = upsert_province(selection.province)
    for done, entry in enumerate(selection.districts, start=1):
        counts.add(upsert_district(province, entry))
        if after_district is not None:
            after_district(done, entry)
    return counts
