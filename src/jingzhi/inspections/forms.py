"""The phone form of an inspection: its inputs named per template item, read back into the values
``scoring`` takes. One name scheme, used by the template (``inspections/fill.html``) and here:

- check ``item_<code>``: ``true`` (合格), ``false`` (不合格) or empty (不适用, optional items only);
- measure ``item_<code>``: a number;
- ratio ``item_<code>_numerator`` and ``item_<code>_denominator``;
- samples ``item_<code>_net_g`` and ``item_<code>_frame_m2``, repeated once per sample point
  (a row left empty is no point; a frame left empty is 1 m²);
- photos ``photo_<code>`` (several files each); the API's multipart submission names its files the
  same way and reads them with ``fill_photos`` too.
Numbers are passed on as typed: ``scoring`` refuses what is no number, keyed by the item.
"""
from __future__ import annotations

from itertools import zip_longest

from .checklists import Template
from .scoring import MAX_SAMPLES, figure_text

CHECK_VALUES = {"true": True, "false": False}


def _text(data, name: str) -> str:
    return str(data.get(name, "")).strip()


def fill_values(template: Template, data) -> dict:
    """Item code → value from a submitted form (a QueryDict); empty inputs give no value."""
    values = {}
    for item in template.items:
        name = f"item_{item.code}"
        if item.kind == "check":
            value = CHECK_VALUES.get(_text(data, name), _text(data, name) or None)
        elif item.kind == "measure":
            value = _text(data, name) or None
        elif item.kind == "ratio":
            numerator, denominator = _text(data, f"{name}_numerator"), _text(data, f"{name}_denominator")
            value = {"numerator": numerator, "denominator": denominator} if numerator or denominator else None
        else:
            grams = data.getlist(f"{name}_net_g")[:MAX_SAMPLES + 1]
            areas = data.getlist(f"{name}_frame_m2")[:MAX_SAMPLES + 1]
            value = [{"net_g": g.strip(), "frame_m2": (a or "").strip() or "1"}
                     for g, a in zip_longest(grams, areas, fillvalue="") if (g or "").strip()] or None
        if value is not None:
            values[item.code] = value
    return values


def fill_photos(template: Template, files) -> dict[str, list]:
    """Item code → the photos sent for it (``photo_<code>``)."""
    return {item.code: files.getlist(f"photo_{item.code}") for item in template.items
            if files.getlist(f"photo_{item.code}")}


def fill_photos_unknown(template: Template, files) -> list[str]:
    """The file fields sent that are no item's ``photo_<code>`` (``fill_photos`` would leave them out;
    the API refuses them rather than drop a photo its client thinks it sent)."""
    names = {f"photo_{item.code}" for item in template.items}
    return sorted(name for name in files if name not in names)


#: Sample rows the form shows for a ``samples`` item (more are added on the phone, up to MAX_SAMPLES).
SAMPLE_ROWS = 3


def fill_fields(template: Template, data, errors: dict, *, attributes: dict | None = None) -> list[dict]:
    """What the form shows per item: the item, its input name, its limit for this asset, what was
    typed (after a refusal) and its messages. Errors not of one item (``results``, ``photos``) go
    to the first item's."""
    fields = []
    for item in template.items:
        name = f"item_{item.code}"
        grams, areas = data.getlist(f"{name}_net_g"), data.getlist(f"{name}_frame_m2")
        rows = list(zip_longest(grams, areas, fillvalue=""))[:MAX_SAMPLES]
        rows += [("", "")] * max(0, SAMPLE_ROWS - len(rows))
        fields.append({
            "item": item, "name": name, "value": _text(data, name),
            "bound": figure_text(item.limit.bound(attributes)) if item.limit else "",
            "numerator": _text(data, f"{name}_numerator"), "denominator": _text(data, f"{name}_denominator"),
            "samples": rows, "errors": errors.get(item.code, []) + errors.get(f"photo_{item.code}", []),
        })
    if fields:
        fields[0]["errors"] = [*errors.get("results", []), *errors.get("photos", []), *fields[0]["errors"]]
    return fields
